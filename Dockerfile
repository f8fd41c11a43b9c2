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

# --- run: a JRE and the jar, as an unprivileged user ---
FROM eclipse-temurin:17-jre
RUN useradd --uid 1000 --user-group --home-dir /app --no-create-home procpool \
 && mkdir -p /app/inbox /app/outbox /app/plugins /app/data \
 && chmod 700 /app/data \
 && chown -R procpool:procpool /app
WORKDIR /app
COPY --from=build /src/target/procpool.jar /app/procpool.jar
COPY config /app/config
USER procpool
ENTRYPOINT ["java", "-jar", "/app/procpool.jar"]
CMD ["coordinator"]
