"""`make run-cluster`: the multi-instance set-up (ops/layout.py) under supervisord,
and `make cluster-status`.

    python -m ops.cluster [--instances 2] [--proxy-port 5005] [--first-rasa-port 5006 |
                          --rasa-ports 5006,5007] [--action-port 5055] [--db-port 5433]
                          [--redis-port 6380] [--run-dir var/cluster] [--lock-lifetime S]
    python -m ops.cluster status [--run-dir var/cluster]
    python -m ops.cluster nginx-config --server HOST:PORT [--server ...] [--listen 80] ...

The launcher prepares the run directory (PostgreSQL's data and database, nginx's
configuration, checked), renders templates/supervisord.conf there, and then
becomes supervisord (exec): the process an operator signals is the supervisor.
SIGTERM, SIGINT (Ctrl-C) or SIGHUP stop every program, in reverse order; if
supervisord is killed outright, the kernel stops every program (setpriv
--pdeathsig). Before the exec it forks a starter that starts the programs
through supervisord's socket in order, each once the one before answers (the
first Rasa instance creates the tables; two model loads at once on two cores
are slower than one after the other), prints the addresses and exits.
From then on supervisord restarts whatever stops, and nothing else.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import sys
import time
import xmlrpc.client
from dataclasses import dataclass
from pathlib import Path

from bot.config import PROJECT_ROOT, settings
from ops.layout import LOOPBACK, Layout, Program, check_nginx, nginx_config, render
from ops.processes import answers, die_with_parent, listening

RUN_DIR = PROJECT_ROOT / "var" / "cluster"
START_TIMEOUT = {"postgres": 60, "redis": 30, "actions": 120, "nginx": 30}   # Rasa: RASA_START_TIMEOUT
RASA_START_TIMEOUT = 300


# --- supervisord's configuration and socket ------------------------------------------------------
def _escape(text: str) -> str:
    """supervisord expands %(name)s in its values: a literal % is written %%."""
    return text.replace("%", "%%")


def supervisord_config(layout: Layout, programs: list[Program]) -> str:
    def environment(env: dict[str, str]) -> str:
        return ",".join(f'{key}="{_escape(value)}"' for key, value in env.items())

    return render("supervisord.conf", root=layout.root, user="root" if os.geteuid() == 0 else None,
                  programs=[{"name": p.name, "command": _escape(shlex.join(p.wrapped)),
                             "directory": _escape(str(p.directory)), "environment": environment(p.env),
                             "startsecs": p.startsecs, "startretries": 5,
                             "stopsignal": signal.Signals(p.stop_signal).name[3:]}
                            for p in programs])


def supervisor(run_dir: Path):
    """supervisord's XML-RPC interface, through the socket in the run directory."""
    from supervisor.xmlrpc import SupervisorTransport
    transport = SupervisorTransport(serverurl=f"unix://{run_dir / 'supervisor.sock'}")
    return xmlrpc.client.ServerProxy("http://localhost", transport=transport).supervisor


def supervisor_running(run_dir: Path) -> bool:
    try:
        return supervisor(run_dir).getState()["statename"] == "RUNNING"
    except (OSError, xmlrpc.client.Error):
        return False


# --- starting ----------------------------------------------------------------------------------
def start_in_order(layout: Layout, programs: list[Program]) -> None:
    """In the starter: each program through supervisord, once the one before answers."""
    deadline = time.monotonic() + 30
    while not supervisor_running(layout.root):
        if time.monotonic() > deadline:
            raise RuntimeError("supervisord did not answer on its socket in 30 s")
        time.sleep(0.1)
    rpc = supervisor(layout.root)
    for program in programs:
        rpc.startProcess(program.name, False)
        timeout = START_TIMEOUT.get(program.name, RASA_START_TIMEOUT)
        deadline = time.monotonic() + timeout
        while not program.ready():
            state = rpc.getProcessInfo(program.name)["statename"]
            if state in ("FATAL", "STOPPED", "EXITED"):
                raise RuntimeError(f"{program.name} could not start ({state}): "
                                   f"see {layout.logs / program.name}.log")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{program.name} did not answer in {timeout} s: "
                                   f"see {layout.logs / program.name}.log")
            time.sleep(0.25)


def _starter(layout: Layout, programs: list[Program]) -> None:
    """The forked child: start everything, say where it is, and exit."""
    try:
        start_in_order(layout, programs)
    except KeyboardInterrupt:   # Ctrl-C reaches the whole terminal's group: supervisord stops all
        os._exit(130)
    except (OSError, xmlrpc.client.Error, RuntimeError) as error:
        if supervisor_running(layout.root):
            print(f"not started: {error}; stopping everything", file=sys.stderr, flush=True)
            try:
                supervisor(layout.root).shutdown()
            except (OSError, xmlrpc.client.Error):
                pass
        os._exit(1)
    lines = [("REST webhook (nginx, by sender)", layout.webhook_url),
             *((f"Rasa instance {i}", url) for i, url in enumerate(layout.instance_urls)),
             ("action server", layout.action_url),
             ("PostgreSQL (tracker store)", layout.postgres_url),
             ("Redis (lock store)", layout.redis_url),
             ("health (nginx; /health/<program>)", f"http://{LOOPBACK}:{layout.proxy_port}/health"),
             ("logs", str(layout.logs))]
    print("ready:\n" + "\n".join(f"  {what:34} {where}" for what, where in lines), flush=True)
    print(f"supervisord (pid {os.getppid()}) restarts any program that stops; "
          f"`make cluster-status` shows them. Ctrl-C stops everything.", flush=True)
    os._exit(0)


def launch(layout: Layout) -> None:
    """Prepare, render, fork the starter, become supervisord. Returns only on an error."""
    if supervisor_running(layout.root):
        raise SystemExit(f"already running in {layout.root} (make cluster-status)")
    programs = layout.programs()
    busy = [f"{p.port} ({p.name})" for p in programs if listening(p.port)]
    if busy:
        raise SystemExit(f"port(s) in use: {', '.join(busy)}; choose others (--help)")
    layout.prepare()
    conf = layout.root / "supervisord.conf"
    conf.write_text(supervisord_config(layout, programs))
    (layout.root / "cluster.json").write_text(json.dumps(
        {"programs": [{"name": p.name, "port": p.port, "health": p.health} for p in programs],
         "webhook": layout.webhook_url}, indent=2) + "\n")
    servers = "Rasa server" if layout.instances == 1 else "Rasa servers"
    print(f"starting PostgreSQL, Redis, the action server, {layout.instances} {servers} and "
          f"nginx under supervisord (files in {layout.root})...", flush=True)
    sys.stderr.flush()
    stop_with_parent = die_with_parent(signal.SIGTERM)
    if os.fork() == 0:
        stop_with_parent()   # the starter ends if supervisord does
        _starter(layout, programs)
    os.execv(sys.executable, [sys.executable, "-m", "supervisor.supervisord", "-n", "-c", str(conf)])


# --- status ------------------------------------------------------------------------------------
@dataclass
class ProgramStatus:
    name: str
    state: str
    pid: int
    uptime_s: int
    restarts: int
    port: int
    healthy: bool


def _spawns(run_dir: Path) -> dict[str, int]:
    """How many times supervisord started each program, from its log (and rotated logs)."""
    counts: dict[str, int] = {}
    for log in sorted(run_dir.glob("supervisord.log*")):
        for line in log.read_text(errors="replace").splitlines():
            if " spawned: '" in line:
                name = line.split(" spawned: '", 1)[1].split("'", 1)[0]
                counts[name] = counts.get(name, 0) + 1
    return counts


def status(run_dir: Path) -> list[ProgramStatus]:
    """Each program: supervisord's state, pid and uptime, restarts since it first started,
    its port and whether its health check passes."""
    described = {p["name"]: p for p in json.loads((run_dir / "cluster.json").read_text())["programs"]}
    order = list(described)   # the order they start in
    spawns = _spawns(run_dir)
    found = []
    infos = supervisor(run_dir).getAllProcessInfo()
    for info in sorted(infos, key=lambda i: order.index(i["name"]) if i["name"] in order else len(order)):
        known = described.get(info["name"], {})
        port, health = known.get("port", 0), known.get("health")
        up = info["statename"] in ("STARTING", "RUNNING")
        found.append(ProgramStatus(
            info["name"], info["statename"], info["pid"], info["now"] - info["start"] if up else 0,
            max(0, spawns.get(info["name"], 0) - 1), port,
            up and (answers(health) if health else listening(port))))
    return found


def print_status(run_dir: Path) -> int:
    if not supervisor_running(run_dir):
        print(f"not running: no supervisord answers in {run_dir} (make run-cluster starts it)")
        return 2
    rows = status(run_dir)
    print(f"{'program':10} {'state':9} {'pid':>7} {'uptime':>9} {'restarts':>8} {'port':>6}  health")
    for r in rows:
        uptime = time.strftime("%H:%M:%S", time.gmtime(r.uptime_s)) if r.uptime_s else "-"
        print(f"{r.name:10} {r.state:9} {r.pid or '-':>7} {uptime:>9} {r.restarts:>8} {r.port:>6}  "
              f"{'ok' if r.healthy else 'NOT ANSWERING'}")
    return 0 if all(r.state == "RUNNING" and r.healthy for r in rows) else 1


# --- the command line ----------------------------------------------------------------------------
def _ports(text: str) -> list[int]:
    return [int(p) for p in text.split(",") if p.strip()]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["status"]:
        parser = argparse.ArgumentParser(prog="python -m ops.cluster status",
                                         description="each program, its state, restarts and port")
        parser.add_argument("--run-dir", type=Path, default=RUN_DIR)
        return print_status(parser.parse_args(argv[1:]).run_dir.resolve())
    if argv[:1] == ["nginx-config"]:
        return print_nginx_config(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m ops.cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--proxy-port", type=int, default=5005, help="the public webhook's port")
    parser.add_argument("--first-rasa-port", type=int, default=5006,
                        help="instance i listens on this + i")
    parser.add_argument("--rasa-ports", type=_ports, help="each instance's port, comma-separated "
                        "(instead of --first-rasa-port and --instances)")
    parser.add_argument("--action-port", type=int, default=5055)
    parser.add_argument("--db-port", type=int, default=5433)
    parser.add_argument("--redis-port", type=int, default=6380)
    parser.add_argument("--run-dir", type=Path, default=RUN_DIR,
                        help="configuration, logs, PostgreSQL's data, supervisord's socket")
    parser.add_argument("--lock-lifetime", type=int,
                        help="seconds a conversation's ticket lock lives (Rasa's default: 60)")
    args = parser.parse_args(argv)
    ports = args.rasa_ports or [args.first_rasa_port + i for i in range(args.instances)]
    layout = Layout(args.run_dir, rasa_ports=ports, action_port=args.action_port,
                    proxy_port=args.proxy_port, db_port=args.db_port, redis_port=args.redis_port,
                    lock_lifetime=args.lock_lifetime, rate_per_client=settings().rate_per_client)
    launch(layout)
    return 1


def print_nginx_config(argv: list[str]) -> int:
    """The proxy's configuration for instances on other hosts (docs/deploy.md), from the
    same template, checked by nginx -t when --check is given."""
    parser = argparse.ArgumentParser(prog="python -m ops.cluster nginx-config")
    parser.add_argument("--server", action="append", required=True, help="a Rasa instance, HOST:PORT")
    parser.add_argument("--listen", default="80")
    parser.add_argument("--root", type=Path, default=Path("/var/lib/ahp-proxy"),
                        help="nginx's pid, logs and temporary files")
    parser.add_argument("--rate", type=float, default=settings().rate_per_client)
    parser.add_argument("--trusted-proxy", action="append", default=[],
                        help="a load balancer in front (address or CIDR): the client's address "
                             "comes from its X-Forwarded-For")
    parser.add_argument("--workers", default="auto")
    parser.add_argument("--check", action="store_true", help="run nginx -t on it (needs --root writable)")
    args = parser.parse_args(argv)
    health = [(f"rasa-{i}", f"http://{server}/") for i, server in enumerate(args.server)]
    text = nginx_config(args.root, args.listen, args.server, args.rate, health, args.trusted_proxy,
                        args.workers)
    if args.check:
        (args.root / "tmp").mkdir(parents=True, exist_ok=True)
        conf = args.root / "nginx.conf"
        conf.write_text(text)
        check_nginx(conf, args.root)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
