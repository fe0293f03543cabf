# syntax=docker/dockerfile:1
# Build:  docker build -t usersync:1.0.0 .
# The image holds only the Quarkus fast-jar on a JRE 21 runtime: no build tools, no embedded database
# (built with -Dproduction, which leaves the embedded MariaDB and its code out).

FROM eclipse-temurin:21-jdk AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q -Dproduction dependency:go-offline
COPY src src
RUN ./mvnw -B -Dproduction -Dmaven.test.skip=true package

FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 usersync \
 && useradd --system --uid 10001 --gid usersync --home-dir /deployments --shell /usr/sbin/nologin usersync
WORKDIR /deployments
# Layers from least to most often changed, so a code change ships only the last ones.
COPY --from=build --chown=10001:10001 /build/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build --chown=10001:10001 /build/target/quarkus-app/*.jar /deployments/
COPY --from=build --chown=10001:10001 /build/target/quarkus-app/app/ /deployments/app/
COPY --from=build --chown=10001:10001 /build/target/quarkus-app/quarkus/ /deployments/quarkus/
USER 10001:10001
EXPOSE 8080
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError --add-opens=java.base/java.lang=ALL-UNNAMED"
ENTRYPOINT ["java", "-jar", "/deployments/quarkus-run.jar"]
