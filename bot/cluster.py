"""Several Rasa servers behind a proxy, for a campaign's bursts of users: the
multi-instance set-up the scale tests (tests/scale) and the load benchmark
(bench/load_bench.py) start, and `python -m bot.cluster` runs by hand.

    PostgreSQL   the shared tracker store (every instance reads and writes
                 each conversation's events there)
    Redis        the lock store (one ticket lock per conversation)
    N x Rasa     `rasa run`, each on its own port (bot.stack.Stack)
    1 x actions  one action server that every instance calls
    nginx        the reverse proxy: `hash $sender consistent` on the sender id
                 read from the JSON body, so one conversation stays on one
                 instance (Rasa's Redis lock store does not make two servers
                 safe on one conversation at the same moment: its ticket is
                 read, changed and written back, not atomically); when that
                 instance is down (connection refused, 502, 503, timeout)
                 nginx passes the request to the next one, which reads the
                 whole history from PostgreSQL.

Everything runs as the current user on 127.0.0.1, on free ports, in a
temporary directory, and stops with `Cluster.stop()` (or Ctrl-C). PostgreSQL's
initdb and pg_ctl refuse to run as root: as root they run as the `postgres`
OS user (runuser) in a directory owned by it. scripts/install-services
installs the Debian packages when missing.

Why nginx can hash on the body: with proxy_request_buffering on (the
default) nginx reads the whole request body before it picks an upstream, and
$request_body holds it when it fits in one memory buffer
(client_body_buffer_size = client_max_body_size, client_body_in_single_buffer
on); a bigger body gets a JSON 413 from the proxy. The `X-Upstream` header
of each reply names the instance(s) that served it (tests check the affinity
with it). A POST that was already sent to an instance that dies is not
re-sent (nginx never retries a non-idempotent request after sending it): that
one message gets a JSON 502 and the person can send it again; every later one
goes to the live instance.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.config import Settings, settings
from bot.stack import Stack, _answers, free_port
from bot.train import model_path

LOOPBACK = "127.0.0.1"
DB_USER = "ahp"
DB_NAME = "conversations"


def _wait(check, what: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} stopped while starting (exit code {process.returncode})")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} was not ready in {timeout:.0f}s")
        time.sleep(0.1)


def _tcp_open(port: int) -> bool:
    try:
        with socket.create_connection((LOOPBACK, port), timeout=1):
            return True
    except OSError:
        return False


def _stop_group(process: subprocess.Popen | None, timeout: float = 15) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        pass


def peak_rss_kb(pid: int) -> int | None:
    """The peak resident memory (VmHWM) of a process, in kB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


# --- PostgreSQL --------------------------------------------------------------------------
class Postgres:
    """A private PostgreSQL cluster (initdb) on 127.0.0.1:port, trust auth for
    the `ahp` role on loopback only, its socket in its own directory."""

    def __init__(self, port: int | None = None, root: Path | None = None):
        self.port = port or free_port()
        if os.geteuid() == 0:
            # as root the server runs as `postgres`, which must reach its directory:
            # a new one in the system's temp dir (the caller's may be private)
            root = None
        self.root = Path(tempfile.mkdtemp(prefix="ahp-pg-", dir=root))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                      key=lambda p: int(Path(p).parent.parent.name))
        if not bins and not shutil.which("pg_ctl"):
            raise RuntimeError("PostgreSQL is not installed: run scripts/install-services")
        self.bin = Path(bins[-1]).parent if bins else Path(shutil.which("pg_ctl")).parent
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb and pg_ctl refuse root
            shutil.chown(self.root, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgresql://{DB_USER}@{LOOPBACK}:{self.port}/{DB_NAME}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        # output to a file, never a pipe: the server inherits pg_ctl's descriptors
        out = self.root / "commands.log"
        with open(out, "ab") as log:
            done = subprocess.run([*self.as_user, *args], stdout=log, stderr=subprocess.STDOUT,
                                  timeout=timeout, cwd="/")
        if done.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} {args[-1]} failed "
                               f"(exit code {done.returncode}):\n{out.read_text()[-2000:]}")

    def start(self) -> "Postgres":
        if not self.data.exists():
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", DB_USER, "-A", "trust",
                      "-E", "UTF8", "--no-instructions", "-N")
        self._pg_ctl("start")
        if not self._has_db():
            subprocess.run([str(self.bin / "createdb"), "-h", LOOPBACK, "-p", str(self.port),
                            "-U", DB_USER, DB_NAME], check=True, timeout=30,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self

    def _has_db(self) -> bool:
        found = subprocess.run([str(self.bin / "psql"), "-h", LOOPBACK, "-p", str(self.port),
                                "-U", DB_USER, "-d", "postgres", "-tAc",
                                f"select 1 from pg_database where datname='{DB_NAME}'"],
                               capture_output=True, text=True, timeout=30)
        return found.stdout.strip() == "1"

    def _pg_ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses={LOOPBACK} -c max_connections=200"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
                  "-t", "30", "-m", "fast", "-o", options, action)

    def restart(self) -> None:
        self._pg_ctl("restart")

    def stop(self, remove: bool = True) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self._pg_ctl("stop")
            except (RuntimeError, subprocess.TimeoutExpired):
                self._kill()
        if remove:
            shutil.rmtree(self.root, ignore_errors=True)

    def _kill(self) -> None:
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass

    def pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None


# --- Redis ---------------------------------------------------------------------------------
class _LoopbackServer:
    """A server process of our own in its own session, logging to a file in `root`."""
    root: Path
    port: int
    process: subprocess.Popen | None

    def _spawn(self, command: list[str], log_name: str, what: str, timeout: float) -> None:
        with open(self.root / log_name, "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True, cwd=self.root)
        _wait(lambda: _tcp_open(self.port), what, timeout, self.process)

    def stop(self, remove: bool = False) -> None:
        _stop_group(self.process)
        self.process = None
        if remove:
            shutil.rmtree(self.root, ignore_errors=True)


class Redis(_LoopbackServer):
    """redis-server on 127.0.0.1:port, nothing saved to disk."""

    def __init__(self, port: int | None = None, root: Path | None = None):
        self.port = port or free_port()
        self.root = Path(tempfile.mkdtemp(prefix="ahp-redis-", dir=root))
        self.process: subprocess.Popen | None = None
        if not shutil.which("redis-server"):
            raise RuntimeError("redis-server is not installed: run scripts/install-services")

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def start(self, timeout: float = 20) -> "Redis":
        self._spawn(["redis-server", "--port", str(self.port), "--bind", LOOPBACK, "--save", "",
                     "--appendonly", "no", "--dir", str(self.root), "--daemonize", "no"],
                    "redis.log", "redis-server", timeout)
        return self


# --- nginx ---------------------------------------------------------------------------------
RATE_BURST = 10   # quick messages one client may send above its rate before it is asked to wait
NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
{user}
events {{ worker_connections 1024; }}

http {{
    log_format upstreaminfo '$remote_addr [$time_local] "$request" $status sender="$sender" upstream=$upstream_addr $request_time';
    access_log {root}/access.log upstreaminfo;
    client_body_temp_path {root}/tmp/body;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;

    # the sender id from the JSON body {{"sender": ..., "message": ...}}; the
    # client's address when there is none (bad requests: the instance answers 400)
    map $request_body $sender {{
        '~"sender"\\s*:\\s*"(?<sid>[^"]*)"' $sid;
        default $remote_addr;
    }}

{rate_zone}
    upstream rasa {{
        hash $sender consistent;
{servers}
        keepalive 16;
        keepalive_timeout 4s;  # under Sanic's 5 s, so nginx never reuses a closing connection
    }}

    server {{
        listen {host}:{port};
        # the whole body in one memory buffer, so $request_body is set when the
        # upstream is chosen (a bigger body gets a 413 below)
        client_max_body_size 64k;
        client_body_buffer_size 64k;
        client_body_in_single_buffer on;

        location / {{
{rate_limit}
            proxy_pass http://rasa;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries {tries};
            proxy_connect_timeout 2s;
            proxy_read_timeout 120s;
            add_header X-Upstream $upstream_addr always;
        }}

        error_page 413 @too_large;
        error_page 429 @slow_down;
        error_page 502 503 504 @unavailable;
        location @slow_down {{
            default_type application/json;
            add_header Retry-After 5 always;
            return 429 '{{"error": "too many messages at once, please wait a few seconds"}}';
        }}
        location @too_large {{
            default_type application/json;
            return 413 '{{"error": "the request is too large"}}';
        }}
        location @unavailable {{
            default_type application/json;
            add_header X-Upstream $upstream_addr always;
            return 503 '{{"error": "the assistant is unavailable, please try again in a moment"}}';
        }}
    }}
}}
"""


class Nginx(_LoopbackServer):
    """nginx in the foreground, its own config, pid, logs and temp paths."""

    def __init__(self, upstream_ports: list[int], port: int | None = None, root: Path | None = None,
                 rate_per_client: float = 0):
        self.port = port or free_port()
        self.upstream_ports = upstream_ports
        self.rate_per_client = rate_per_client   # messages a second from one address; 0: no limit
        self.root = Path(tempfile.mkdtemp(prefix="ahp-nginx-", dir=root))
        self.process: subprocess.Popen | None = None
        self.binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(self.binary).exists():
            raise RuntimeError("nginx is not installed: run scripts/install-services")

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def webhook_url(self) -> str:
        return f"{self.url}/webhooks/rest/webhook"

    def config(self) -> str:
        servers = "\n".join(f"        server {LOOPBACK}:{p} max_fails=1 fail_timeout=5s;"
                            for p in self.upstream_ports)
        # as root the workers would switch to `nobody`; keep them as this user
        user = "user root;" if os.geteuid() == 0 else ""
        zone = limit = ""
        if self.rate_per_client:
            # per client address, so one client sending far too fast can't starve the others; a
            # burst lets a person send a few quick messages (or the widget retry) without a wait
            per_minute = max(1, round(self.rate_per_client * 60))
            zone = (f"    limit_req_zone $binary_remote_addr zone=per_client:10m rate={per_minute}r/m;\n"
                    "    limit_req_status 429;")
            limit = f"            limit_req zone=per_client burst={RATE_BURST} nodelay;"
        return NGINX_CONF.format(root=self.root, host=LOOPBACK, port=self.port, servers=servers,
                                 tries=len(self.upstream_ports), user=user, rate_zone=zone,
                                 rate_limit=limit)

    def start(self, timeout: float = 20) -> "Nginx":
        (self.root / "tmp").mkdir(exist_ok=True)
        conf = self.root / "nginx.conf"
        conf.write_text(self.config())
        test = subprocess.run([self.binary, "-t", "-q", "-c", str(conf), "-p", f"{self.root}/",
                               "-e", str(self.root / "error.log")],
                              capture_output=True, text=True, timeout=30)
        if test.returncode != 0:
            raise RuntimeError(f"nginx rejected its configuration:\n{test.stderr}")
        self._spawn([self.binary, "-c", str(conf), "-p", f"{self.root}/",
                     "-e", str(self.root / "error.log")], "nginx.out", "nginx", timeout)
        return self

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
                               capture_output=True, text=True, timeout=10)
        return [int(p) for p in found.stdout.split()]


# --- the cluster ---------------------------------------------------------------------------
class _Instance(Stack):
    """A Stack with extra environment for Rasa (e.g. the lock's lifetime)."""
    extra_env: dict[str, str] = {}

    def env(self) -> dict[str, str]:
        env = super().env()
        env.update(self.extra_env)
        return env


@dataclass
class Cluster:
    """PostgreSQL + Redis + `instances` Rasa servers + one action server + nginx.

    `stacks[0]` runs the action server too; the others only Rasa. Ports are
    free loopback ports unless given. `lock_lifetime` sets Rasa's
    TICKET_LOCK_LIFETIME (seconds a conversation's ticket lives; Rasa's
    default is 60): the time another instance waits before it can take over
    a conversation whose lock a killed instance held."""
    instances: int = 2
    model: Path = field(default_factory=model_path)
    root: Path | None = None
    proxy: bool = True
    rasa_ports: list[int] | None = None
    action_port: int | None = None
    proxy_port: int | None = None
    db_port: int | None = None
    redis_port: int | None = None
    lock_lifetime: int | None = None
    rate_per_client: float = 0   # messages a second nginx lets one address send (0: no limit)
    extra_env: dict[str, str] = field(default_factory=dict)
    postgres: Postgres | None = None
    redis: Redis | None = None
    nginx: Nginx | None = None
    stacks: list[Stack] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.root = Path(self.root or tempfile.mkdtemp(prefix="ahp-cluster-"))
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o755)  # PostgreSQL runs as `postgres` under it when we are root
        self.rasa_ports = self.rasa_ports or [free_port() for _ in range(self.instances)]
        self.action_port = self.action_port or free_port()

    def settings(self, rasa_port: int) -> Settings:
        return replace(settings(), host=LOOPBACK, rasa_port=rasa_port, action_port=self.action_port,
                       web_port=free_port(), cors_origins=(),
                       db_url=self.postgres.url if self.postgres else "",
                       redis_url=self.redis.url if self.redis else "")

    # start and stop ------------------------------------------------------------------------
    def start(self, timeout: float = 180) -> "Cluster":
        try:
            self.postgres = Postgres(self.db_port, self.root).start()
            self.redis = Redis(self.redis_port, self.root).start()
            env = dict(self.extra_env)
            if self.lock_lifetime:
                env["TICKET_LOCK_LIFETIME"] = str(self.lock_lifetime)
            for i, port in enumerate(self.rasa_ports):
                stack = _Instance(self.settings(port), model=self.model,
                                  log_dir=self.root / "logs" / f"rasa-{i}")
                stack.extra_env = env
                self.stacks.append(stack)
            self.stacks[0].log_dir = self.root / "logs" / "rasa-0"
            self.stacks[0].start_actions()
            # one after the other: the first creates the events table, and two
            # model loads at once on two cores take longer than in turn
            for stack in self.stacks:
                stack.start_rasa()
                stack.wait_ready(timeout)
            if self.proxy:
                self.nginx = Nginx(self.rasa_ports, self.proxy_port, self.root,
                                   rate_per_client=self.rate_per_client).start()
                _wait(lambda: _answers(self.nginx.url + "/"), "the proxy", 30, self.nginx.process)
            return self
        except BaseException:
            self.stop()
            raise

    def stop(self, remove: bool = True) -> None:
        if self.nginx:
            self.nginx.stop()
        for stack in self.stacks:
            stack.stop()
        if self.redis:
            self.redis.stop()
        if self.postgres:
            self.postgres.stop(remove=remove)
        if remove and self.root and self.root.name.startswith("ahp-cluster-"):
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # faults ---------------------------------------------------------------------------------
    def kill_instance(self, i: int) -> None:
        """SIGKILL a Rasa instance's process group, as a crash would."""
        process = self.stacks[i].processes.pop("rasa", None)
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)

    def start_instance(self, i: int, timeout: float = 120) -> None:
        self.stacks[i].start_rasa()
        self.stacks[i].wait_ready(timeout)

    def stop_actions(self) -> None:
        self.stacks[0].stop("actions")

    def start_actions(self, timeout: float = 60) -> None:
        self.stacks[0].start_actions()
        self.stacks[0].wait_ready(timeout)

    def heal(self, timeout: float = 120) -> None:
        """Restart whatever a test stopped: Redis, the action server, instances."""
        if self.redis and (self.redis.process is None or self.redis.process.poll() is not None):
            self.redis.start()
        actions = self.stacks[0].processes.get("actions") if self.stacks else None
        if self.stacks and (actions is None or actions.poll() is not None):
            self.stacks[0].processes.pop("actions", None)
            self.start_actions(timeout)
        for i, stack in enumerate(self.stacks):
            process = stack.processes.get("rasa")
            if process is None or process.poll() is not None:
                stack.processes.pop("rasa", None)
                self.start_instance(i, timeout)

    # addresses and state --------------------------------------------------------------------
    @property
    def webhook_url(self) -> str:
        """The proxy's webhook (or the first instance's, without a proxy)."""
        return self.nginx.webhook_url if self.nginx else self.stacks[0].config.webhook_url

    @property
    def instance_urls(self) -> list[str]:
        return [s.config.webhook_url for s in self.stacks]

    def server_pids(self) -> dict[str, int]:
        pids = {}
        for i, stack in enumerate(self.stacks):
            for name, process in stack.processes.items():
                if process.poll() is None:
                    pids[f"rasa-{i}" if name == "rasa" else name] = process.pid
        if self.postgres and self.postgres.pid():
            pids["postgres"] = self.postgres.pid()
        if self.redis and self.redis.process:
            pids["redis"] = self.redis.process.pid
        if self.nginx:
            for n, pid in enumerate(self.nginx.worker_pids()):
                pids[f"nginx-worker-{n}"] = pid
        return pids

    def events(self, sender: str) -> list[dict]:
        """A conversation's events from PostgreSQL, in the order they were stored."""
        from sqlalchemy import create_engine, text
        engine = create_engine(self.postgres.url, future=True)
        try:
            with engine.connect() as connection:
                rows = connection.execute(text(
                    "select type_name, data from events where sender_id = :s order by id"),
                    {"s": sender}).all()
        finally:
            engine.dispose()
        return [dict(json.loads(data), event=type_name) for type_name, data in rows]

    def user_texts(self, sender: str) -> list[str]:
        return [e.get("text") for e in self.events(sender) if e["event"] == "user"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--proxy-port", type=int, default=5005, help="the public webhook's port")
    parser.add_argument("--first-rasa-port", type=int, default=5006)
    parser.add_argument("--action-port", type=int, default=5055)
    parser.add_argument("--db-port", type=int, default=5433)
    parser.add_argument("--redis-port", type=int, default=6380)
    args = parser.parse_args(argv)
    cluster = Cluster(instances=args.instances, proxy_port=args.proxy_port,
                      rasa_ports=[args.first_rasa_port + i for i in range(args.instances)],
                      action_port=args.action_port, db_port=args.db_port, redis_port=args.redis_port,
                      rate_per_client=settings().rate_per_client)
    print(f"starting PostgreSQL, Redis, the action server, {args.instances} Rasa servers and "
          f"nginx (files in {cluster.root})...")
    try:
        cluster.start()
        print("ready:")
        print(f"  REST webhook (nginx, by sender)  {cluster.webhook_url}")
        for i, url in enumerate(cluster.instance_urls):
            print(f"  Rasa instance {i}                  {url}")
        print(f"  action server                    http://{LOOPBACK}:{cluster.action_port}/webhook")
        print(f"  PostgreSQL (tracker store)       {cluster.postgres.url}")
        print(f"  Redis (lock store)               {cluster.redis.url}")
        print(f"  logs                             {cluster.root}/logs, {cluster.nginx.root}")
        print("Ctrl-C stops everything.")
        while True:
            stopped = [n for n, pid in cluster.server_pids().items() if not Path(f"/proc/{pid}").exists()]
            dead = [f"rasa-{i}" for i, s in enumerate(cluster.stacks)
                    if s.processes.get("rasa") and s.processes["rasa"].poll() is not None]
            if stopped or dead:
                print(f"stopped unexpectedly: {', '.join(stopped + dead)}", file=sys.stderr)
                return 1
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nstopping...")
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
