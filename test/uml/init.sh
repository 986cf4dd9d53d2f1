#!/bin/sh
# PID 1 of the User-mode Linux guest that test/uml-tier.ts boots. The guest's
# root is the host's filesystem, read-only (hostfs, `ro`): everything the
# guest writes goes to the tmpfs mounted here. It mounts what a system needs,
# lets the kernel load modules from the UML package's own module directory,
# hands over to dist/test/uml/guest.js, then powers off (PID 1 must not exit).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs run /run
# The checkout may itself live under /tmp (CI clones anywhere): reach it through a
# bind mount on /mnt (an empty directory on Debian; neither /tmp nor /run, which
# the guest and the kernel tests cover with tmpfs) before /tmp is covered.
mount --bind "$(cd "$(dirname "$0")/../.." && pwd)" /mnt
root=/mnt
mount -t tmpfs tmp /tmp
# /lib/modules is on the read-only host root and may not even exist there: modprobe
# is pointed at a tree under /run instead, for our calls and the kernel's own
# (/proc/sys/kernel/modprobe, which runs in this mount namespace whatever a test unshares).
v=$(uname -r)
mkdir -p /run/uml/lib/modules
ln -s "/usr/lib/uml/modules/$v" "/run/uml/lib/modules/$v"
printf '#!/bin/sh\nexec /sbin/modprobe -d /run/uml "$@"\n' > /run/uml/modprobe
chmod +x /run/uml/modprobe
echo /run/uml/modprobe > /proc/sys/kernel/modprobe
cd "$root" && node "$root/dist/test/uml/guest.js"
echo "UML-INIT-END $?"
poweroff -f
