#!/usr/bin/env bash
# Checks that the interface files of a Barrelfish source tree compile unchanged: each if/*.if is parsed with the
# x86_64 includes, as Barrelfish's build passes them, its Java is generated, and all of it is compiled with
# -Xlint:all -Werror. Barrelfish's files are read in place; nothing of them is copied into this repository.
#
#   scripts/check-barrelfish-interfaces.sh /path/to/barrelfish
set -euo pipefail

bf="${1:?usage: $0 BARRELFISH_SOURCE_TREE}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ifdir="$bf/if"
[ -d "$ifdir" ] || { echo "no if/ directory under $bf" >&2; exit 2; }

"$root/flotilla" --version >/dev/null   # builds the distribution if needed
jar="$root/cli/target/flotilla.jar"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

includes=(-i "$ifdir/platform/x86_64.if" -i "$ifdir/arch/x86_64.if" -i "$ifdir/types.if")
failed=0
count=0
for f in "$ifdir"/*.if; do
    [ "$(basename "$f")" = types.if ] && continue     # an include file, not an interface
    name="$(basename "$f" .if | tr -c 'a-zA-Z0-9\n' '_')"
    count=$((count + 1))
    if ! java -jar "$jar" compile "${includes[@]}" -o "$out/src" -p "bf.$name" "$f" >/dev/null 2>"$out/$name.err"; then
        echo "FAILED: $f"; cat "$out/$name.err"; failed=$((failed + 1))
    fi
done
find "$out/src" -name '*.java' > "$out/sources"
mkdir -p "$out/classes"
javac -Xlint:all -Werror --release 17 -d "$out/classes" -cp "$jar" @"$out/sources"
echo "$count interfaces, $failed failed; $(wc -l < "$out/sources") generated Java files compiled with -Xlint:all -Werror"
[ "$failed" -eq 0 ]
