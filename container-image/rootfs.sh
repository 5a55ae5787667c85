#!/usr/bin/env bash
# The image's file system, built from what this machine has (no registry, no Docker daemon): a Java runtime made by
# jlink from the build's JDK, the shared libraries it needs (found with ldd, copied from this machine's Debian), the
# name-service files, a non-root user (dukequeue, uid 10001), /data for the volume and /app/dukequeue.jar.
# Usage: rootfs.sh <java.home of a JDK with jmods> <runnable jar> <output directory>
set -euo pipefail
jdk="$1"; jar="$2"; out="$3"
[ -d "$jdk/jmods" ] || { echo "rootfs.sh: $jdk has no jmods: jlink needs a full JDK" >&2; exit 1; }
[ -f "$jar" ] || { echo "rootfs.sh: $jar is missing: build admin-web first" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"/{app,data,tmp,etc,opt,lib64}
# The modules of the whole Java SE platform and the JDK's runtime services Payara Micro uses; no compiler, no tools.
"$jdk/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.naming.dns,jdk.management,jdk.management.agent,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.zipfs,jdk.localedata,jdk.charsets,jdk.net,jdk.jfr,jdk.httpserver,jdk.security.auth,jdk.security.jgss,jdk.xml.dom \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$out/opt/java"
# Debian's JDK links its CA store out of the JDK: the image needs the file itself.
if [ -L "$out/opt/java/lib/security/cacerts" ] || [ ! -s "$out/opt/java/lib/security/cacerts" ]; then
    cp --remove-destination "$(readlink -f "$jdk/lib/security/cacerts")" "$out/opt/java/lib/security/cacerts"
fi
# Every shared library the runtime loads, with the loader, plus the name service modules glibc loads by name.
libs=$( { find "$out/opt/java" -name '*.so' -o -path '*/bin/*' -type f; } | xargs ldd 2>/dev/null \
    | awk '/=> \// {print $3} /^\t\/lib64\// {print $1}' | sort -u)
for extra in libnss_files.so.2 libnss_dns.so.2 libresolv.so.2; do
    libs="$libs /lib/x86_64-linux-gnu/$extra"
done
for lib in $libs; do
    [ -e "$lib" ] || continue
    mkdir -p "$out$(dirname "$lib")"
    cp -L "$lib" "$out$lib"
done
cat > "$out/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
dukequeue:x:10001:10001:DukeQueue:/data:/sbin/nologin
PASSWD
cat > "$out/etc/group" <<'GROUP'
root:x:0:
dukequeue:x:10001:
GROUP
printf 'hosts: files dns\n' > "$out/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$out/etc/hosts"
cp "$jar" "$out/app/dukequeue.jar"
echo "rootfs: $(du -sh "$out" | cut -f1) in $out (runtime $(du -sh "$out/opt/java" | cut -f1))"
