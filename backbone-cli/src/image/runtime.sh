#!/usr/bin/env bash
# Fills ROOT with what the container image holds beside the application (which Jib adds): a jlinked Java runtime under
# /opt/java, the shared libraries it loads (found with ldd), and an empty /tmp. The image starts FROM scratch, so
# nothing has to be pulled from a registry.
set -euo pipefail
root="$1"
java_home="$2"
rm -rf "$root"
mkdir -p "$root/opt" "$root/tmp" "$root/var/lib/backbone"
"$java_home/bin/jlink" \
  --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.security.sasl,java.sql,java.xml,java.scripting,jdk.unsupported,jdk.crypto.ec,jdk.management,jdk.zipfs \
  --strip-debug --no-man-pages --no-header-files --compress=2 \
  --output "$root/opt/java"
# java.desktop is there for java.beans (Log4j's configuration uses it); the image is headless: no AWT libraries
rm -f "$root"/opt/java/lib/libawt_xawt.so "$root"/opt/java/lib/libsplashscreen.so "$root"/opt/java/lib/libjawt.so
{
  ldd "$root/opt/java/bin/java"
  find "$root/opt/java/lib" -name '*.so' -exec ldd {} \;
} 2>/dev/null | grep -o '/[^ ]*' | grep -v "^$root" | sort -u | while read -r lib; do
  [ -e "$lib" ] && cp --parents -L "$lib" "$root"
done
# the loader is named by its path in every binary; keep the usual alias as well
[ -e /lib64/ld-linux-x86-64.so.2 ] && cp --parents -L /lib64/ld-linux-x86-64.so.2 "$root"
echo "image runtime in $root: $(du -sh "$root" | cut -f1)"
