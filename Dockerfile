# One image recipe for every service. The jar is built by Maven on the host:
#   mvn package -DskipTests && docker compose build
# then unpacked into layers, so that a code change rebuilds only the thin application layer.
ARG JRE_IMAGE=eclipse-temurin:17-jre

FROM ${JRE_IMAGE} AS layers
ARG MODULE
WORKDIR /layers
COPY ${MODULE}/target/${MODULE}-*.jar application.jar
# Without --launcher: application.jar and lib/*.jar, a plain class path of jars, which is what a
# CDS archive can hold (classes read from directories cannot be archived).
RUN java -Djarmode=tools -jar application.jar extract --layers --destination extracted

FROM ${JRE_IMAGE}
ARG MODULE
LABEL org.opencontainers.image.title="${MODULE}" \
      org.opencontainers.image.description="${MODULE} of the event-driven purchase system"
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin spring \
    && mkdir -p /app/data && chown spring /app/data
WORKDIR /app
COPY --from=layers /layers/extracted/dependencies/ ./
COPY --from=layers /layers/extracted/snapshot-dependencies/ ./
COPY --from=layers /layers/extracted/application/ ./
# Class data sharing: a training run starts the application up to the end of its context refresh
# (no web server, no listener started) and archives every class it loaded, parsed and verified, so
# that each container after it maps them instead of loading them again: a new replica is ready
# sooner (docs/benchmarks.md, P6). Nothing remote is needed for it: topics are not declared, an
# in-memory database stands in for the subscribers' own, nothing listens.
RUN SPRING_KAFKA_ADMIN_AUTO_CREATE=false \
    SPRING_DATASOURCE_URL="jdbc:h2:mem:training;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH" \
    java -XX:ArchiveClassesAtExit=application.jsa -Dspring.context.exit=onRefresh -jar application.jar \
      > /tmp/training.log 2>&1 \
    || { tail -50 /tmp/training.log; exit 1; }; \
    rm /tmp/training.log
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
# A JVM that cannot map the archive (another JDK, say) starts without it, only slower.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=application.jsa", "-jar", "application.jar"]
