"""A real single-node Apache Kafka broker (KRaft) started from Maven Central jars.

Used by the test harness and by anyone running the services on Kafka locally without Docker. The
jars are fetched once with Maven into a cache folder (``ZT_KAFKA_LIB_CACHE``, default
``~/.cache/zorgtoezicht/kafka-<version>``) and reused. Needs Java 17 and Maven.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

KAFKA_VERSION = os.environ.get("ZT_KAFKA_VERSION", "4.1.1")
LOG4J_VERSION = "2.24.3"

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>nl.zorgtoezicht</groupId><artifactId>kafka-broker-libs</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>{kafka}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>{log4j}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-api</artifactId><version>{log4j}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>{log4j}</version></dependency>
  </dependencies>
</project>
"""

_LOG4J2 = """status = error
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = STDOUT
logger.started.name = kafka.server.KafkaRaftServer
logger.started.level = info
"""


def tools_missing() -> list[str]:
    return [tool for tool in ("java", "mvn") if shutil.which(tool) is None]


def lib_dir() -> Path:
    base = os.environ.get("ZT_KAFKA_LIB_CACHE") or str(Path.home() / ".cache" / "zorgtoezicht" / f"kafka-{KAFKA_VERSION}")
    return Path(base) / "lib"


def ensure_jars() -> Path:
    """Fetch the broker's runtime jars from Maven Central once; later calls reuse the cache."""
    lib = lib_dir()
    marker = lib / ".complete"
    if marker.exists():
        return lib
    lib.parent.mkdir(parents=True, exist_ok=True)
    # Two test runs starting together on a fresh machine: one fetches, the other waits and reuses.
    with (lib.parent / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.exists():
            return lib
        build = lib.parent / "build"
        build.mkdir(parents=True, exist_ok=True)
        (build / "pom.xml").write_text(_POM.format(kafka=KAFKA_VERSION, log4j=LOG4J_VERSION))
        subprocess.run(
            ["mvn", "-q", "-B", "dependency:copy-dependencies", "-DincludeScope=runtime", f"-DoutputDirectory={lib}"],
            cwd=build,
            check=True,
            capture_output=True,
            text=True,
            timeout=900,
        )
        marker.write_text(KAFKA_VERSION)
    return lib


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class KafkaBroker:
    """One KRaft broker+controller on 127.0.0.1. ``stop``/``start`` keep its data (same log dir)."""

    def __init__(self, work_dir: Path, *, port: int | None = None, controller_port: int | None = None) -> None:
        self.work_dir = Path(work_dir).absolute()
        self.port = port or _free_port()
        self.controller_port = controller_port or _free_port()
        self._ports_chosen = port is None and controller_port is None
        self.process: subprocess.Popen[bytes] | None = None
        self._formatted = False
        self._started = False

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.work_dir / "broker.log"

    def _write_config(self) -> Path:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        (self.work_dir / "log4j2.properties").write_text(_LOG4J2)
        props = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.bootstrap.servers": f"127.0.0.1:{self.controller_port}",
            "listeners": f"PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{self.port}",
            "controller.listener.names": "CONTROLLER",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "inter.broker.listener.name": "PLAINTEXT",
            "log.dirs": str(self.work_dir / "data"),
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "1",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "group.initial.rebalance.delay.ms": "0",
            "num.partitions": "3",
            "auto.create.topics.enable": "false",
        }
        path = self.work_dir / "server.properties"
        path.write_text("".join(f"{k}={v}\n" for k, v in props.items()))
        return path

    def _java(self, *args: str) -> list[str]:
        return [
            "java",
            "-Xmx512m",
            "-Xms128m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            f"-Dlog4j2.configurationFile={self.work_dir / 'log4j2.properties'}",
            "-cp",
            str(ensure_jars() / "*"),
            *args,
        ]

    def start(self, timeout: float = 120) -> KafkaBroker:
        """Start (or restart, keeping data and ports). On the first start with ports it chose itself, a port
        another process took between choosing and binding is retried on fresh ports."""
        attempts = 5 if self._ports_chosen and not self._started else 1
        for attempt in range(attempts):
            try:
                self._start(timeout)
                self._started = True
                return self
            except RuntimeError as error:
                if attempt == attempts - 1 or "Address already in use" not in str(error):
                    raise
                self.stop()
                self.port, self.controller_port = _free_port(), _free_port()
                self._formatted = False  # the quorum's address is part of the formatted storage
        raise AssertionError("unreachable")

    def _start(self, timeout: float) -> None:
        config = self._write_config()
        if not self._formatted:
            cluster_id = base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")
            while cluster_id.startswith("-"):
                cluster_id = base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")
            shutil.rmtree(self.work_dir / "data", ignore_errors=True)
            subprocess.run(
                self._java("kafka.tools.StorageTool", "format", "--standalone", "-t", cluster_id, "-c", str(config)),
                check=True,
                capture_output=True,
                timeout=120,
            )
            self._formatted = True
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self._java("kafka.Kafka", str(config)), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"Kafka broker exited: {self.log_path.read_text()[-3000:]}")
            if self._metadata_ok():
                return
            time.sleep(0.3)
        raise RuntimeError(f"Kafka broker not ready after {timeout}s: {self.log_path.read_text()[-3000:]}")

    def _metadata_ok(self) -> bool:
        """A real metadata round trip: the broker answers and knows at least one broker."""
        import asyncio

        from aiokafka.admin import AIOKafkaAdminClient

        async def check() -> bool:
            admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers, request_timeout_ms=3000)
            try:
                await admin.start()
                cluster = await admin.describe_cluster()
                return bool(cluster.get("brokers"))
            finally:
                with contextlib.suppress(Exception):
                    await admin.close()

        with contextlib.suppress(Exception), socket.create_connection(("127.0.0.1", self.port), 0.5):
            try:
                return asyncio.run(check())
            except Exception:  # noqa: BLE001
                return False
        return False

    def stop(self, timeout: float = 60) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.process = None
