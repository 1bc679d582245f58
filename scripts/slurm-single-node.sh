#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine (as root, without systemd) for test/scale/slurm.test.ts:
# Debian slurm-wlm and munge, one node with this machine's CPUs, partition "debug". Recipe of
# shared/research/anchors.md section 6. Does nothing if a controller already answers. Stop with: kill the PIDs in
# /run/munge/munged.pid, /run/slurmctld.pid, /run/slurmd.pid.
set -euo pipefail
if command -v sinfo >/dev/null 2>&1 && sinfo >/dev/null 2>&1; then exit 0; fi
H=$(hostname -s)
mkdir -p /run/munge /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /etc/slurm
chown munge: /run/munge
if [ ! -f /etc/munge/munge.key ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null
  chown munge: /etc/munge/munge.key
  chmod 400 /etc/munge/munge.key
fi
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=ohmnet
SlurmctldHost=$H
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ReturnToService=2
NodeName=$H CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF
runuser -u munge -- munged
slurmctld
slurmd
for _ in $(seq 1 30); do
  if sinfo -h -o %t 2>/dev/null | grep -q idle; then exit 0; fi
  sleep 1
done
echo "slurm-single-node: the node did not become idle within 30 s (see /var/log/slurm/)" >&2
exit 1
