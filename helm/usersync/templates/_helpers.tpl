{{- define "usersync.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "usersync.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "usersync.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{ include "usersync.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "usersync.selectorLabels" -}}
app.kubernetes.io/name: {{ include "usersync.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "usersync.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "usersync.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Secret names: the existing one when given, else the one the chart creates. */}}
{{- define "usersync.databaseSecret" -}}
{{- default (printf "%s-database" (include "usersync.fullname" .)) .Values.database.existingSecret -}}
{{- end -}}
{{- define "usersync.authSecret" -}}
{{- default (printf "%s-jwt" (include "usersync.fullname" .)) .Values.auth.existingSecret -}}
{{- end -}}
{{- define "usersync.cryptoSecret" -}}
{{- default (printf "%s-credential-keys" (include "usersync.fullname" .)) .Values.credentialEncryption.existingSecret -}}
{{- end -}}

{{/* A duration value ("90s", "2m", "1h") in whole seconds; fails on anything else. */}}
{{- define "usersync.seconds" -}}
{{- $v := toString . -}}
{{- if regexMatch "^[0-9]+s$" $v -}}{{- trimSuffix "s" $v | int -}}
{{- else if regexMatch "^[0-9]+m$" $v -}}{{- mul (trimSuffix "m" $v | int) 60 -}}
{{- else if regexMatch "^[0-9]+h$" $v -}}{{- mul (trimSuffix "h" $v | int) 3600 -}}
{{- else -}}{{- fail (printf "%q is not a duration in whole seconds, minutes or hours (e.g. 20s, 2m)" $v) -}}
{{- end -}}
{{- end -}}
