"""scripts/install-debian (how `make run` and `make test` install Debian packages)
leaves the machine's services as it found them: what the install started or
enabled at boot is stopped or disabled again, what ran or was enabled before is
left alone. Run against a pretend machine: apt-get, systemctl, service and
update-rc.d are stand-ins on PATH that keep the services' state in files, and
SYSROOT holds the machine's files."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "install-debian"

STAND_INS = {
    # the package's maintainer scripts: start and enable what INSTALL_STARTS and
    # INSTALL_ENABLES name, unless policy-rc.d refuses (as invoke-rc.d does)
    "apt-get": r"""
echo "apt-get $*" >> "$STATE/log"
[[ $1 == install ]] || exit 0
policy="$SYSROOT/usr/sbin/policy-rc.d"
if [[ -x $policy ]] && ! "$policy"; then echo "policy refuses" >> "$STATE/log"; allowed=0; else allowed=1; fi
for s in $INSTALL_STARTS; do
  if [[ $allowed -eq 1 || -n ${IGNORES_POLICY:-} ]]; then grep -qx "$s" "$STATE/running" || echo "$s" >> "$STATE/running"; fi
done
for s in $INSTALL_ENABLES; do grep -qx "$s" "$STATE/enabled" || echo "$s" >> "$STATE/enabled"; done
for s in $INSTALL_LINKS; do touch "$SYSROOT/etc/rc2.d/S01$s"; done
exit "${INSTALL_FAILS:-0}"
""",
    "systemctl": r"""
case $1 in
  list-units) cat "$STATE/running" ;;
  list-unit-files) sed 's/$/ enabled enabled/' "$STATE/enabled" ;;
  stop) echo "systemctl stop $2" >> "$STATE/log"; grep -vx "$2" "$STATE/running" > "$STATE/r" || true; mv "$STATE/r" "$STATE/running" ;;
  disable) echo "systemctl disable $3" >> "$STATE/log"; grep -vx "$3" "$STATE/enabled" > "$STATE/e" || true; mv "$STATE/e" "$STATE/enabled" ;;
esac
""",
    "service": r"""
if [[ $1 == --status-all ]]; then sed 's/^/ [ + ]  /' "$STATE/running"; echo " [ - ]  procps"; exit 0; fi
echo "service $1 $2" >> "$STATE/log"
grep -vx "$1" "$STATE/running" > "$STATE/r" || true; mv "$STATE/r" "$STATE/running"
""",
    "update-rc.d": r"""
echo "update-rc.d $1 $2" >> "$STATE/log"
for link in "$SYSROOT"/etc/rc2.d/S??"$1"; do mv "$link" "${link/\/S/\/K}"; done
""",
    "sudo": 'exec "$@"',
}


class Machine:
    def __init__(self, tmp_path: Path, systemd: bool, running=(), enabled=(), links=(), policy: str | None = None):
        self.root, self.state, self.bin = tmp_path / "root", tmp_path / "state", tmp_path / "bin"
        for d in (self.root / "etc" / "rc2.d", self.root / "usr" / "sbin", self.state, self.bin):
            d.mkdir(parents=True)
        if systemd:
            (self.root / "run" / "systemd" / "system").mkdir(parents=True)
        (self.state / "running").write_text("".join(f"{s}\n" for s in running))
        (self.state / "enabled").write_text("".join(f"{s}\n" for s in enabled))
        (self.state / "log").write_text("")
        for name in links:
            (self.root / "etc" / "rc2.d" / f"S01{name}").touch()
        if policy is not None:
            self.policy.write_text(policy)
            self.policy.chmod(0o755)
        for name, body in STAND_INS.items():
            (self.bin / name).write_text("#!/bin/bash\n" + body)
            (self.bin / name).chmod(0o755)

    @property
    def policy(self) -> Path:
        return self.root / "usr" / "sbin" / "policy-rc.d"

    def install(self, *packages: str, **install_env: str) -> subprocess.CompletedProcess:
        env = {"PATH": f"{self.bin}:/usr/bin:/bin", "HOME": str(self.state), "SYSROOT": str(self.root),
               "STATE": str(self.state), "INSTALL_STARTS": "", "INSTALL_ENABLES": "", "INSTALL_LINKS": "",
               **install_env}
        return subprocess.run([str(SCRIPT), *packages], env=env, capture_output=True, text=True, timeout=60)

    def services(self, kind: str) -> set[str]:
        return set((self.state / kind).read_text().split())

    def log(self) -> list[str]:
        return (self.state / "log").read_text().splitlines()

    def links(self) -> set[str]:
        return {p.name for p in (self.root / "etc" / "rc2.d").iterdir()}


def test_on_systemd_what_the_install_started_or_enabled_is_undone_and_nothing_else(tmp_path):
    # the machine's own nginx runs and starts at boot; the install restarts it too
    machine = Machine(tmp_path, systemd=True, running=["nginx.service"], enabled=["nginx.service"])
    done = machine.install("redis-server", "nginx", "postgresql", IGNORES_POLICY="yes",
                           INSTALL_STARTS="redis-server.service nginx.service postgresql@15-main.service",
                           INSTALL_ENABLES="redis-server.service nginx.service postgresql.service")
    assert done.returncode == 0, done.stderr
    assert machine.services("running") == {"nginx.service"}
    assert machine.services("enabled") == {"nginx.service"}
    assert not any("nginx" in line for line in machine.log() if not line.startswith("apt-get"))
    assert "systemctl stop redis-server.service" in machine.log()
    assert "systemctl disable postgresql.service" in machine.log()


def test_without_systemd_nothing_starts_and_boot_links_the_install_made_are_disabled(tmp_path):
    machine = Machine(tmp_path, systemd=False, running=["dbus"], links=["dbus"])
    done = machine.install("postgresql", INSTALL_STARTS="postgresql", INSTALL_LINKS="postgresql")
    assert done.returncode == 0, done.stderr
    assert "policy refuses" in machine.log()          # the install was kept from starting it
    assert not machine.policy.exists()                # and the machine has no policy of ours after
    assert machine.services("running") == {"dbus"}
    assert machine.links() == {"S01dbus", "K01postgresql"}
    assert "update-rc.d postgresql disable" in machine.log()
    assert not any("dbus" in line for line in machine.log())


def test_a_policy_the_machine_has_is_kept_and_a_service_it_lets_start_is_stopped(tmp_path):
    machine = Machine(tmp_path, systemd=False, policy="#!/bin/sh\nexit 0\n")
    done = machine.install("redis-server", INSTALL_STARTS="redis-server")
    assert done.returncode == 0, done.stderr
    assert machine.policy.read_text() == "#!/bin/sh\nexit 0\n"
    assert "service redis-server stop" in machine.log()
    assert machine.services("running") == set()


def test_a_failed_install_still_undoes_what_it_started(tmp_path):
    machine = Machine(tmp_path, systemd=True)
    done = machine.install("nginx", IGNORES_POLICY="yes", INSTALL_STARTS="nginx.service",
                           INSTALL_ENABLES="nginx.service", INSTALL_FAILS="100")
    assert done.returncode != 0
    assert machine.services("running") == set() and machine.services("enabled") == set()
    assert not machine.policy.exists()
