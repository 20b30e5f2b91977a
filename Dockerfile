# One image recipe for every service. The jar is built by Maven on the host:
#   mvn package -DskipTests && docker compose build
# then unpacked into layers, so that a code change rebuilds only the thin application layer.
ARG JRE_IMAGE=eclipse-temurin:17-jre

FROM ${JRE_IMAGE} AS layers
ARG MODULE
WORKDIR /layers
COPY ${MODULE}/target/${MODULE}-*.jar app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM ${JRE_IMAGE}
ARG MODULE
LABEL org.opencontainers.image.title="${MODULE}" \
      org.opencontainers.image.description="${MODULE} of the event-driven purchase system"
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin spring \
    && mkdir -p /app/data && chown spring /app/data
WORKDIR /app
COPY --from=layers /layers/extracted/dependencies/ ./
COPY --from=layers /layers/extracted/spring-boot-loader/ ./
COPY --from=layers /layers/extracted/snapshot-dependencies/ ./
COPY --from=layers /layers/extracted/application/ ./
USER spring
# The heap follows the container's memory limit, leaving 40 % for metaspace, threads and
# buffers; an out-of-memory JVM exits and is restarted rather than limping on. The API on 8080,
# operations (health, metrics) on 8081, which is never published.
ENV SERVER_PORT=8080 \
    MANAGEMENT_SERVER_PORT=8081 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=120s --retries=3 \
  CMD curl -fsS -o /dev/null http://localhost:8081/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
