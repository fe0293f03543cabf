# syntax=docker/dockerfile:1
# Build:  docker build --build-arg REVISION="$(git rev-parse HEAD)" \
#           --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" -t usersync:1.0.0 .
# The image holds only the Quarkus fast-jar on a JRE 21 runtime: no build tools, no embedded database
# (built with -Dproduction, which leaves the embedded MariaDB and its code out).
#
# Base images are pinned by digest (tag kept for readers), so a rebuild uses exactly the same bits. Both digests
# are the ones Docker Hub served for these tags to a BuildKit build on 2026-06-20 (a public build log; this
# project's build machines reach no image registry, so they were not re-resolved here). To move to newer
# patches: `docker buildx imagetools inspect eclipse-temurin:21-jre` (and the maven tag), replace the digests
# and the BASE_DIGEST label, rebuild and run the tests (Renovate or Dependabot's docker ecosystem can do this).

FROM maven:3.9.11-eclipse-temurin-21@sha256:6fdc855a6ed81d288ca7ca37ac6ff5e9308b612485c0801d70b25a858c83d237 AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q -Dproduction dependency:go-offline
COPY src src
RUN ./mvnw -B -Dproduction -Dmaven.test.skip=true package

FROM eclipse-temurin:21-jre@sha256:8ec353b20d3aab0758572236b81b967c7077c40c4d0819ce97f9a1329d684603
ARG VERSION=1.0.0
ARG REVISION=unknown
ARG CREATED=unknown
# OCI image annotations (https://github.com/opencontainers/image-spec/blob/main/annotations.md)
LABEL org.opencontainers.image.title="usersync" \
      org.opencontainers.image.description="Keeps a multi-tenant user store in step with Microsoft 365 and Google Workspace and bills MSPs for it." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.vendor="usersync" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:21-jre" \
      org.opencontainers.image.base.digest="sha256:8ec353b20d3aab0758572236b81b967c7077c40c4d0819ce97f9a1329d684603"
RUN groupadd --system --gid 10001 usersync \
 && useradd --system --uid 10001 --gid usersync --home-dir /deployments --shell /usr/sbin/nologin usersync
WORKDIR /deployments
# Layers from least to most often changed, so a code change ships only the last ones.
COPY --from=build --chown=10001:10001 /build/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build --chown=10001:10001 /build/target/quarkus-app/*.jar /deployments/
COPY --from=build --chown=10001:10001 /build/target/quarkus-app/app/ /deployments/app/
COPY --from=build --chown=10001:10001 /build/target/quarkus-app/quarkus/ /deployments/quarkus/
USER 10001:10001
# 8080: the API; 9000: health and metrics (management interface, kept off the Ingress)
EXPOSE 8080 9000
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError --add-opens=java.base/java.lang=ALL-UNNAMED"
ENTRYPOINT ["java", "-jar", "/deployments/quarkus-run.jar"]
