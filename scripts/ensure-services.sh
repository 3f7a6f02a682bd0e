#!/usr/bin/env bash
# Starts PostgreSQL, Redis and Mosquitto when they are down (commands from the machine notes), then waits for them.
set -uo pipefail
need_root() { if [ "$(id -u)" != 0 ]; then echo "sudo"; fi; }
SUDO=$(need_root)

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "starting PostgreSQL"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "starting Redis"
  $SUDO redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  echo "starting Mosquitto"
  $SUDO mosquitto -d -c /etc/mosquitto/mosquitto.conf || true
fi

for i in $(seq 1 60); do
  ok=1
  pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || ok=0
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || ok=0
  (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null || ok=0
  [ $ok = 1 ] && exit 0
  sleep 1
done
echo "services did not come up: PostgreSQL 127.0.0.1:5432, Redis 127.0.0.1:6379, Mosquitto 127.0.0.1:1883" >&2
exit 1
