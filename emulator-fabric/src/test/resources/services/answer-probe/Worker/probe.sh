#!/bin/sh
# answer-probe: what the answer file did inside this guest, as key=value lines in /run/answer-probe/answer.txt,
# served over http on PORT. The host compares them with the model (AnswerFileVmTest).
# usage: probe.sh PORT
set -u
dir=/run/answer-probe
mkdir -p "$dir"
host=$(hostname)
{
    echo "hostname=$host"
    echo "etc_hostname=$(cat /etc/hostname)"
    echo "hosts_line=$(grep " $host\$" /etc/hosts | head -n 1)"
    echo "passwd=$(grep '^ops:' /etc/passwd)"
    echo "shadow_password=$(grep '^ops:' /etc/shadow | cut -d: -f2)"
    echo "home_owner=$(stat -c %u:%g /home/ops 2>&1)"
    # A login shell of the account (su -l clears the environment): it must see the role environment.
    echo "login=$(su -l ops -c 'echo "$(id -un) $CSEMU_INSTANCE_ID $CSEMU_ROLE_NAME $CSEMU_SETTING_COUNT"' 2>&1)"
    echo "login_setting=$(su -l ops -c 'csemu-role setting Greeting' 2>&1)"
} >"$dir/answer.txt.tmp"
mv "$dir/answer.txt.tmp" "$dir/answer.txt"
exec httpd -f -p "$1" -h "$dir"
