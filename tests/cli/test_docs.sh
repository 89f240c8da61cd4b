#!/bin/sh
# test_docs.sh — the YAML examples of the documentation are tests, so the
# docs cannot drift from the loader.  Every ```yaml block of README.md and
# docs/*.md is extracted and checked with `takt check`, by the marker among
# the comment lines just before its fence:
#
#   (no marker)                          a complete plant: takt check accepts it
#   <!-- check: fragment T.yaml -->      a fragment: embedded in the plant
#                                        tests/cli/doc-fragments/T.yaml at its
#                                        @FRAGMENT@ line (indented as that line
#                                        is), the whole plant is accepted
#   <!-- check: rejected T.yaml TEXT --> a fragment shown as a mistake: embedded
#                                        likewise, takt check refuses it (exit 2)
#                                        saying TEXT
#   <!-- check: tasks -->                a task file of takt balance: it balances
#                                        (docs/balance.md)
#   <!-- check: none REASON -->          not a plant (REASON must be given)
#
# docs/architecture.md describes the markers for writers of the docs.
#
#   TAKT=build/takt sh tests/cli/test_docs.sh

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

find_takt test_docs.sh || exit 1

D=$T_DIR
FRAG="$here/doc-fragments"
mkdir -p "$D/blocks"

# Each block to $D/blocks/N.yaml; a line "N SOURCE:LINE MARKER..." per block.
for doc in "$root/README.md" "$root"/docs/*.md; do
    awk -v dir="$D/blocks" -v src="${doc#"$root"/}" -v start="$(ls "$D/blocks" | wc -l)" '
        BEGIN { n = start }
        /^```yaml[ \t]*$/ {
            n++; on = 1; file = dir "/" n ".yaml"
            mark = pending == "" ? "complete" : pending
            print n, src ":" NR, mark >> (dir "/list")
            printf "" > file
            pending = ""
            next
        }
        on && /^```[ \t]*$/ { on = 0; close(file); next }
        on { print >> file; next }
        # the marker may share the comment lines just above the fence with
        # other markers (<!-- example: ... --> of another suite)
        /^<!-- check: .* -->$/ { pending = $0; sub(/^<!-- check: /, "", pending); sub(/ -->$/, "", pending); next }
        /^<!-- .* -->$/ { next }
        { pending = "" }
    ' "$doc"
done

check "the docs hold YAML examples" 0 cat "$D/blocks/list"
expect_lines stdout -ge 15
expect_match stdout '^[0-9]+ docs/plant-format\.md:[0-9]+ complete$'
expect_match stdout '^[0-9]+ README\.md:[0-9]+ complete$'

# embed TEMPLATE BLOCK OUT: the template with the block at @FRAGMENT@.
embed() {
    awk -v block="$2" '
        /@FRAGMENT@/ {
            indent = $0; sub(/@FRAGMENT@.*/, "", indent)
            while ((getline line < block) > 0) print (line == "" ? "" : indent line)
            close(block); found = 1; next
        }
        { print }
        END { if (!found) exit 1 }' "$1" >"$3"
}

while read -r n where kind rest; do
    block="$D/blocks/$n.yaml"
    case "$kind" in
        complete)
            check "$where: a complete plant that takt check accepts" 0 takt check "$block"
            expect_is stdout ok
            ;;
        fragment | rejected)
            template=${rest%% *}
            text=""
            [ "$template" != "$rest" ] && text=${rest#* }
            if [ ! -f "$FRAG/$template" ]; then
                check "$where: its fragment template exists" 0 test -f "$FRAG/$template"
                continue
            fi
            echo "$template" >>"$D/used"
            plant="$D/blocks/$n-in-$template"
            embed "$FRAG/$template" "$block" "$plant" || {
                check "$where: $template has an @FRAGMENT@ line" 0 false
                continue
            }
            if [ "$kind" = fragment ]; then
                check "$where: a fragment that takt check accepts within $template" 0 takt check "$plant"
                expect_is stdout ok
            else
                check "$where: a mistake that takt check refuses within $template" 2 takt check "$plant"
                [ -n "$text" ] && expect_contains stderr "$text"
                expect_empty stdout
            fi
            ;;
        tasks)
            check "$where: a task file that takt balance balances" 0 takt balance "$block" --quiet
            expect_match stdout 'station'
            ;;
        none)
            check "$where: a block not checked gives its reason" 0 test -n "$rest"
            ;;
        *)
            check "$where: a known check marker ('$kind')" 0 false
            ;;
    esac
done <"$D/blocks/list"

# Every template is used by some block (a template nothing uses has drifted).
for t in "$FRAG"/*.yaml; do
    check "doc-fragments/$(basename "$t") is used by a docs example" 0 \
        grep -qx "$(basename "$t")" "$D/used"
done

# The checker itself: an unmarked fragment fails, so a fragment cannot pass
# unnoticed as a complete plant.
printf 'stations:\n  - {name: M1, cycle: 1h}\n' >"$D/bare.yaml"
check "a fragment without its marker would be refused" 2 takt check "$D/bare.yaml"

finish
