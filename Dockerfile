# syntax=docker/dockerfile:1
# procpool image: coordinator, worker, broker and the CLI in one jar.
#   docker build -t procpool .
#   docker run --rm procpool --help

# --- build: Maven with a cached repository ---
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY config config
COPY src src
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

# --- run: a JRE and the jar, as an unprivileged user (uid/gid 1000) ---
FROM eclipse-temurin:17-jre
# The base image (Ubuntu 24.04) already has a user and a group "ubuntu" with uid/gid 1000: remove them first, or
# useradd --uid 1000 fails. Each step also works on a base without them. The image also runs under another uid
# (compose's `user:`) when every folder it writes is mounted from the host and owned by that uid (docker-compose.yml).
RUN if getent passwd ubuntu >/dev/null; then userdel ubuntu; fi \
 && if getent group ubuntu >/dev/null; then groupdel ubuntu; fi \
 && useradd --uid 1000 --user-group --home-dir /app --no-create-home procpool \
 && mkdir -p /app/inbox /app/outbox /app/plugins /app/data \
 && chown -R procpool:procpool /app \
 && chmod 775 /app/inbox /app/outbox \
 && chmod 700 /app/data
WORKDIR /app
COPY --from=build /src/target/procpool.jar /app/procpool.jar
COPY config /app/config
USER procpool
ENTRYPOINT ["java", "-jar", "/app/procpool.jar"]
CMD ["coordinator"]
