"""The multi-instance set-up, described once: which programs run, with which
commands, ports and health checks, and the files they need (PostgreSQL's data,
nginx's configuration rendered from templates/nginx.conf). Every Rasa instance
reads the committed endpoints.yml, with the addresses of this set-up's
PostgreSQL, Redis and action server in its environment (bot.stack.endpoint_env).

    PostgreSQL   the shared tracker store (every instance reads and writes
                 each conversation's events there)
    Redis        the lock store (one ticket lock per conversation)
    actions      one action server that every instance calls
    N x Rasa     `rasa run`, each on its own port (the commands of bot.stack.Stack)
    nginx        the reverse proxy: `hash $sender consistent` on the sender id
                 read from the JSON body, so one conversation stays on one
                 instance (Rasa's Redis lock store does not make two servers
                 safe on one conversation at the same moment: its ticket is
                 read, changed and written back, not atomically); when that
                 instance is down (connection refused, 502, 503, timeout)
                 nginx passes the request to the next one, which reads the
                 whole history from PostgreSQL.

`make run-cluster` gives these programs to supervisord (ops/cluster.py); the
scale tests and the load benchmark start the same ones as plain children
(ops/direct.py). Everything listens on 127.0.0.1 and keeps its files in one
run directory. PostgreSQL refuses to run as root: as root it runs as the
`postgres` OS user (setpriv), in a directory that user can reach.

Why nginx can hash on the body: with proxy_request_buffering on (the default)
nginx reads the whole request body before it picks an upstream, and
$request_body holds it when it fits in one memory buffer (client_body_buffer_size
= client_max_body_size, client_body_in_single_buffer on); a bigger body gets a
JSON 413 from the proxy. The `X-Upstream` header of each reply names the
instance(s) that served it. A POST that was already sent to an instance that
dies is not re-sent (nginx never retries a non-idempotent request after sending
it): that one message gets a JSON 502 and the person can send it again; every
later one goes to the live instance.
"""
from __future__ import annotations

import glob
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.config import PROJECT_ROOT, Settings, settings
from bot.stack import Stack
from bot.train import model_path
from ops.processes import answers, death_wrapper, free_port, listening

LOOPBACK = "127.0.0.1"
DB_USER = "ahp"
DB_NAME = "conversations"
RATE_BURST = 10   # quick messages one client may send above its rate before it is asked to wait
TEMPLATES = Path(__file__).resolve().parent / "templates"


def render(template: str, **values) -> str:
    """One of templates/ with `values`; a name the template uses but is not given fails."""
    environment = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                              keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                              autoescape=False)
    return environment.get_template(template).render(**values)


@dataclass
class Program:
    """One server: its command, what it needs beyond the inherited environment, its
    port, and how to tell it is ready (`health` answers 200, or the port is open)."""
    name: str
    command: list[str]
    port: int
    env: dict[str, str] = field(default_factory=dict)
    health: str | None = None
    user: str | None = None            # run as this OS user (PostgreSQL, when we are root)
    stop_signal: int = signal.SIGTERM  # also the signal it gets if its supervisor dies
    directory: Path = PROJECT_ROOT
    startsecs: int = 2                 # supervisord: up this long counts as started

    @property
    def wrapped(self) -> list[str]:
        """The command under setpriv: as its user, and stopped by `stop_signal` when the
        process that started it (supervisord, or the test's Cluster) dies."""
        return [*death_wrapper(self.stop_signal, self.user), *self.command]

    def ready(self) -> bool:
        return answers(self.health) if self.health else listening(self.port)


# --- PostgreSQL ------------------------------------------------------------------------------
def postgres_bin() -> Path:
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"),
                  key=lambda p: int(Path(p).parent.parent.name))
    if bins:
        return Path(bins[-1]).parent
    if shutil.which("initdb"):
        return Path(shutil.which("initdb")).parent
    raise RuntimeError("PostgreSQL is not installed: run scripts/install-services")


def _as_root() -> bool:
    return os.geteuid() == 0


def _reachable_by(user: str, path: Path) -> bool:
    """Whether `user` may go through every directory down to `path`."""
    done = subprocess.run([*death_wrapper(user=user), "test", "-x", str(path)], cwd="/",
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
    return done.returncode == 0


def init_postgres(data: Path, user: str | None) -> None:
    """initdb (trust for the `ahp` role, loopback only: listen_addresses is set on the
    command line) and the conversations database, once, when `data` is new."""
    if (data / "PG_VERSION").exists():
        return
    bin_dir = postgres_bin()
    data.parent.mkdir(parents=True, exist_ok=True)
    if user:
        shutil.chown(data.parent, user, user)
    as_user = death_wrapper(user=user) if user else []
    log = data.parent / "initdb.log"
    with open(log, "ab") as out:
        done = subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(data), "-U", DB_USER,
                               "-A", "trust", "-E", "UTF8", "--no-instructions", "-N"],
                              stdout=out, stderr=subprocess.STDOUT, cwd="/", timeout=120)
        if done.returncode == 0:
            # single-user mode: the database is made without starting a server
            done = subprocess.run([*as_user, str(bin_dir / "postgres"), "--single", "-D", str(data),
                                   "postgres"], input=f"CREATE DATABASE {DB_NAME};\n".encode(),
                                  stdout=out, stderr=subprocess.STDOUT, cwd="/", timeout=120)
    if done.returncode != 0:
        shutil.rmtree(data, ignore_errors=True)
        raise RuntimeError(f"initdb or CREATE DATABASE failed (exit code {done.returncode}):\n"
                           f"{log.read_text()[-2000:]}")


# --- nginx ------------------------------------------------------------------------------------
def nginx_binary() -> str:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise RuntimeError("nginx is not installed: run scripts/install-services")
    return binary


def nginx_config(root: Path, listen: str, servers: list[str], rate_per_client: float = 0,
                 health: list[tuple[str, str]] = (), trusted_proxies: list[str] = (),
                 workers: int | str = 1, user: str | None = None) -> str:
    """templates/nginx.conf: `servers` are the Rasa instances (host:port), `health` the
    (name, URL) pairs nginx serves at /health/<name>, `rate_per_client` messages a
    second one address may send (0: no limit)."""
    per_minute = max(1, round(rate_per_client * 60)) if rate_per_client else 0
    return render("nginx.conf", root=root, listen=listen, servers=servers, health=list(health),
                  rate_per_minute=per_minute, burst=RATE_BURST, trusted_proxies=list(trusted_proxies),
                  workers=workers, user=user)


def check_nginx(conf: Path, prefix: Path) -> None:
    """nginx -t: the configuration is valid (offline: nothing is started or bound)."""
    test = subprocess.run([nginx_binary(), "-t", "-q", "-c", str(conf), "-p", f"{prefix}/",
                           "-e", str(prefix / "error.log")], capture_output=True, text=True, timeout=30)
    if test.returncode != 0:
        raise RuntimeError(f"nginx rejected {conf}:\n{test.stderr}")


def write_nginx(root: Path, port: int, rasa_ports: list[int], rate_per_client: float = 0,
                health: list[tuple[str, str]] = ()) -> Path:
    """nginx's configuration for 127.0.0.1:port in front of the instances, written
    under `root` and checked."""
    (root / "tmp").mkdir(parents=True, exist_ok=True)
    conf = root / "nginx.conf"
    # as root the workers would switch to `nobody`, who can't reach the run directory
    conf.write_text(nginx_config(root, f"{LOOPBACK}:{port}", [f"{LOOPBACK}:{p}" for p in rasa_ports],
                                 rate_per_client, health, user="root" if _as_root() else None))
    check_nginx(conf, root)
    return conf


def nginx_program(root: Path, port: int) -> Program:
    """nginx in the foreground with the configuration `write_nginx` put in `root`."""
    return Program("nginx", [nginx_binary(), "-c", str(root / "nginx.conf"), "-p", f"{root}/",
                             "-e", str(root / "error.log")], port,
                   health=f"http://{LOOPBACK}:{port}/health")


# --- the whole set-up ----------------------------------------------------------------------------
@dataclass
class Layout:
    """Ports and files of one multi-instance set-up; free loopback ports unless given."""
    root: Path
    instances: int = 2
    rasa_ports: list[int] | None = None
    action_port: int | None = None
    proxy_port: int | None = None
    db_port: int | None = None
    redis_port: int | None = None
    model: Path = field(default_factory=model_path)
    lock_lifetime: int | None = None   # Rasa's TICKET_LOCK_LIFETIME (its default: 60 s)
    rate_per_client: float = 0         # messages a second nginx lets one address send (0: no limit)
    extra_env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()
        self.rasa_ports = list(self.rasa_ports or [free_port() for _ in range(self.instances)])
        self.instances = len(self.rasa_ports)
        self.action_port = self.action_port or free_port()
        self.proxy_port = self.proxy_port or free_port()
        self.db_port = self.db_port or free_port()
        self.redis_port = self.redis_port or free_port()

    # where things are ---------------------------------------------------------------------------
    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def db_user(self) -> str | None:
        return "postgres" if _as_root() else None

    @property
    def nginx_dir(self) -> Path:
        return self.root / "nginx"

    @cached_property
    def postgres_dir(self) -> Path:
        """PostgreSQL's files: in the run directory, unless we are root and the
        `postgres` user can't reach it (a private temporary directory): then in the
        system's temporary directory, under a name fixed by the run directory."""
        inside = self.root / "postgres"
        # the run directory itself is made reachable by `prepare`: what counts is above it
        existing = next(p for p in self.root.parents if p.exists())
        if not self.db_user or _reachable_by(self.db_user, existing):
            return inside
        digest = hashlib.sha1(str(self.root).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"ahp-pg-{digest}"

    @property
    def postgres_url(self) -> str:
        return f"postgresql://{DB_USER}@{LOOPBACK}:{self.db_port}/{DB_NAME}"

    @property
    def redis_url(self) -> str:
        return f"redis://{LOOPBACK}:{self.redis_port}/0"

    @property
    def webhook_url(self) -> str:
        return f"http://{LOOPBACK}:{self.proxy_port}/webhooks/rest/webhook"

    @property
    def action_url(self) -> str:
        return f"http://{LOOPBACK}:{self.action_port}/webhook"

    @property
    def instance_urls(self) -> list[str]:
        return [f"http://{LOOPBACK}:{p}/webhooks/rest/webhook" for p in self.rasa_ports]

    def settings(self, rasa_port: int) -> Settings:
        return replace(settings(), host=LOOPBACK, rasa_port=rasa_port, action_port=self.action_port,
                       web_port=0, cors_origins=(), db_url=self.postgres_url,
                       redis_url=self.redis_url)

    def stack(self, i: int) -> Stack:
        env = dict(self.extra_env)
        if self.lock_lifetime:
            env["TICKET_LOCK_LIFETIME"] = str(self.lock_lifetime)
        return Stack(self.settings(self.rasa_ports[i]), model=self.model, log_dir=self.logs,
                     extra_env=env)

    # the programs, in the order they start --------------------------------------------------------
    def programs(self) -> list[Program]:
        """PostgreSQL, Redis, the action server, each Rasa instance, nginx. Call
        `prepare` first: the commands name files it writes."""
        postgres = postgres_bin() / "postgres"
        found = [
            Program("postgres", [str(postgres), "-D", str(self.postgres_dir / "data"),
                                 "-p", str(self.db_port), "-c", f"listen_addresses={LOOPBACK}",
                                 "-c", "unix_socket_directories=", "-c", "max_connections=200"],
                    self.db_port, user=self.db_user,
                    stop_signal=signal.SIGINT),   # fast shutdown: SIGTERM would wait for every client
            Program("redis", [shutil.which("redis-server") or "redis-server", "--port",
                              str(self.redis_port), "--bind", LOOPBACK, "--save", "",
                              "--appendonly", "no", "--dir", str(self.root / "redis"),
                              "--daemonize", "no"], self.redis_port),
        ]
        actions, extra = self.stack(0).actions_command()
        found.append(Program("actions", actions, self.action_port, {**self.stack(0).own_env(), **extra},
                             health=self.stack(0).health_urls["actions"], startsecs=5))
        for i in range(self.instances):
            stack = self.stack(i)
            command, extra = stack.rasa_command()
            found.append(Program(f"rasa-{i}", command, self.rasa_ports[i], {**stack.own_env(), **extra},
                                 health=stack.health_urls["rasa"], startsecs=10))
        found.append(nginx_program(self.nginx_dir, self.proxy_port))
        return found

    def health(self) -> list[tuple[str, str]]:
        """The health endpoint of each server nginx can reach, by name."""
        return [("actions", f"http://{LOOPBACK}:{self.action_port}/health"),
                *((f"rasa-{i}", f"http://{LOOPBACK}:{p}/") for i, p in enumerate(self.rasa_ports))]

    def prepare(self) -> None:
        """The run directory, PostgreSQL's data and database (once) and nginx's
        configuration (checked by nginx -t)."""
        for path in (self.root, self.logs, self.root / "redis"):
            path.mkdir(parents=True, exist_ok=True)
        if _as_root():
            os.chmod(self.root, 0o755)   # PostgreSQL runs as `postgres` under it
        init_postgres(self.postgres_dir / "data", self.db_user)
        write_nginx(self.nginx_dir, self.proxy_port, self.rasa_ports, self.rate_per_client,
                    self.health())

    def remove(self) -> None:
        """Delete the run directory and PostgreSQL's files (nothing may be running)."""
        shutil.rmtree(self.postgres_dir, ignore_errors=True)
        shutil.rmtree(self.root, ignore_errors=True)

