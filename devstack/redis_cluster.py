"""A private Redis Cluster on loopback ports, for the tests and the benchmark: N masters, no
replicas, no persistence (or, with `persist`, an append-only file per node, so that a node a
fault test stops comes back with its data), started in a temporary directory and stopped (only
those processes) by `stop()`.

`redis-server --cluster-enabled yes` on each port, then `redis-cli --cluster create`, which
assigns the 16,384 slots evenly; ready when every node reports `cluster_state:ok`.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

import redis

from devstack.processes import find_redis_server, port_free


@dataclass
class RedisClusterServers:
    """The running nodes: `url` (`redis+cluster://`, as REDIS_URL takes it), `node_urls` (plain,
    one per master), `stop()` (idempotent)."""

    ports: list[int]
    processes: list[subprocess.Popen]
    data_dir: str
    log: list[str] = field(default_factory=list)
    commands: list[list[str]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"redis+cluster://127.0.0.1:{self.ports[0]}"

    @property
    def node_urls(self) -> list[str]:
        return [f"redis://127.0.0.1:{port}/0" for port in self.ports]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def node_of(self, key: str) -> int:
        """The index of the master that serves `key`'s slot."""
        conn = redis.Redis(port=self.ports[0], socket_timeout=2)
        try:
            slot = conn.cluster("keyslot", key)
            for start, end, (_host, port, *_rest), *_replicas in conn.execute_command("CLUSTER SLOTS"):
                if start <= slot <= end:
                    return self.ports.index(port)
        finally:
            conn.close()
        raise LookupError(f"no node serves the slot of {key!r}")

    def stop_node(self, index: int) -> None:
        """SIGTERM one node (it writes its append-only file and nodes.conf before it exits)."""
        process = self.processes[index]
        process.send_signal(signal.SIGCONT)
        process.terminate()
        process.wait(10)

    def restart_node(self, index: int, timeout: float = 30.0) -> None:
        """Start a stopped node again on its port, with its data dir (its slots and, when
        persisted, its keys); returns once every node reports `cluster_state:ok`."""
        self.processes[index] = _spawn(self.commands[index])
        deadline = time.monotonic() + timeout
        while not all(_cluster_ok(port) for port in self.ports):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the node on port {self.ports[index]} did not rejoin the cluster")
            time.sleep(0.1)

    def pause_node(self, index: int) -> None:
        self.processes[index].send_signal(signal.SIGSTOP)

    def resume_node(self, index: int) -> None:
        self.processes[index].send_signal(signal.SIGCONT)


def _spawn(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _cluster_ok(port: int) -> bool:
    conn = redis.Redis(port=port, socket_timeout=0.5, socket_connect_timeout=0.5)
    try:
        return conn.cluster("info").get("cluster_state") == "ok"
    except (redis.RedisError, OSError):
        return False
    finally:
        conn.close()


def start_redis_cluster(masters: int = 3, timeout: float = 30.0, *, persist: bool = False,
                        full_coverage: bool = True, node_timeout_ms: int = 5000) -> RedisClusterServers:
    """Start `masters` cluster nodes on free ports and join them; raises RuntimeError (after
    stopping what it started) when they do not form a cluster within `timeout` seconds.
    `persist`: an append-only file (fsync always) per node. `full_coverage=False`: the other
    masters keep serving their slots while one is down (`cluster-require-full-coverage no`)."""
    binary = find_redis_server()
    cli = shutil.which("redis-cli")
    if binary is None or cli is None:
        raise RuntimeError("redis-server and redis-cli are needed for a Redis Cluster (apt-get install redis-server)")
    data_dir = tempfile.mkdtemp(prefix="redis-cluster-")
    servers = RedisClusterServers([], [], data_dir)
    try:
        for _ in range(masters):
            port = _free_node_port(servers.ports)
            servers.ports.append(port)
            durability = (["--appendonly", "yes", "--appendfsync", "always", "--appenddirname", f"aof-{port}"]
                          if persist else ["--appendonly", "no"])
            command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                       "--cluster-config-file", f"nodes-{port}.conf", "--cluster-node-timeout", str(node_timeout_ms),
                       "--cluster-require-full-coverage", "yes" if full_coverage else "no",
                       "--save", "", *durability, "--dir", data_dir]
            servers.commands.append(command)
            servers.processes.append(_spawn(command))
        deadline = time.monotonic() + timeout
        for port in servers.ports:
            while not _answers(port):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"cluster node on port {port} did not start")
                time.sleep(0.05)
        created = subprocess.run(
            [cli, "--cluster", "create", *(f"127.0.0.1:{p}" for p in servers.ports), "--cluster-replicas", "0",
             "--cluster-yes"], capture_output=True, text=True, timeout=timeout,
        )
        if created.returncode != 0:
            raise RuntimeError(f"redis-cli --cluster create failed:\n{created.stdout}\n{created.stderr}")
        while not all(_cluster_ok(port) for port in servers.ports):
            if time.monotonic() > deadline:
                raise RuntimeError("the Redis Cluster did not reach cluster_state:ok")
            time.sleep(0.1)
    except BaseException:
        servers.stop()
        raise
    return servers


BUS_PORT_OFFSET = 10_000  # each node also listens on its port + 10000 (the cluster bus)


def _free_node_port(taken: list[int]) -> int:
    """A port free with its bus port: below 55536 (the bus port must exist), and not one
    already chosen (the OS may hand out a just-released port again)."""
    for _ in range(1000):
        port = random.randint(20_000, 65_535 - BUS_PORT_OFFSET)
        if port not in taken and port_free(port) and port_free(port + BUS_PORT_OFFSET):
            return port
    raise RuntimeError("no free port pair for a Redis Cluster node")


def _answers(port: int) -> bool:
    conn = redis.Redis(port=port, socket_timeout=0.5, socket_connect_timeout=0.5)
    try:
        return bool(conn.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        conn.close()
