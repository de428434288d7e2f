#!/usr/bin/env bash
# Check the kernel patch series against a pristine Linux 6.12 tree.
#
# Usage: kernel/patches/check.sh PRISTINE_TREE [SERIES_DIR...]
#
# For each series directory (default: test/ and optimal/ next to this
# script), copy PRISTINE_TREE into a temporary git repository, apply the
# patches listed in the directory's `series` file (every NNNN-*.patch but
# the cover letter when there is none) with `git am`, in order, and run the
# tree's own scripts/checkpatch.pl --strict on every patch and on the cover
# letter, which is not applied. PRISTINE_TREE is only read. Exits non-zero,
# naming the series and the patch, at the first patch that does not apply
# or that checkpatch reports anything on.

set -euo pipefail

usage() {
	echo "usage: $0 PRISTINE_TREE [SERIES_DIR...]" >&2
	exit 2
}

fail() {
	echo "check.sh: $*" >&2
	exit 1
}

[[ $# -ge 1 ]] || usage
tree=$(cd "$1" && pwd)
shift
[[ -f $tree/Makefile && -x $tree/scripts/checkpatch.pl ]] ||
	fail "$tree: not a kernel source tree (no Makefile or scripts/checkpatch.pl)"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ $# -eq 0 ]]; then
	set -- "$here/test" "$here/optimal"
fi

# The patches of a series, in order: the `series` file without comments and
# blank lines, else the numbered patches without the cover letter.
series_patches() {
	local dir=$1
	if [[ -f $dir/series ]]; then
		sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$dir/series"
	else
		(cd "$dir" && ls -1 [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-cover-letter\.patch$')
	fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mapping-order-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

work=$tmp/linux
echo "check.sh: copying $tree" >&2
cp -a "$tree" "$work"
chmod -R u+w "$work"
git -C "$work" init -q
# A distribution's .gitignore may ignore the whole top level: add by force.
git -C "$work" add -A -f
git -C "$work" -c user.name=check -c user.email=check@invalid \
	commit -q -m pristine
pristine=$(git -C "$work" rev-parse HEAD)

for dir in "$@"; do
	dir=$(cd "$dir" && pwd)
	name=$(basename "$dir")
	mapfile -t patches < <(series_patches "$dir")
	[[ ${#patches[@]} -gt 0 ]] || fail "$name: no patches"

	git -C "$work" reset -q --hard "$pristine"
	git -C "$work" clean -q -f -d -x
	for p in "${patches[@]}"; do
		[[ -f $dir/$p ]] || fail "$name/$p: listed in the series but missing"
		if ! git -C "$work" -c user.name=check -c user.email=check@invalid \
			am -q "$dir/$p" >"$tmp/am.log" 2>&1; then
			cat "$tmp/am.log" >&2
			fail "$name/$p: git am failed"
		fi
		if ! (cd "$work" && scripts/checkpatch.pl --strict -q "$dir/$p") \
			>"$tmp/checkpatch.log" 2>&1; then
			cat "$tmp/checkpatch.log" >&2
			fail "$name/$p: checkpatch.pl --strict reported problems"
		fi
		echo "check.sh: $name/$p: applies, checkpatch --strict clean"
	done
	cover=$dir/0000-cover-letter.patch
	if [[ -f $cover ]]; then
		if grep -q '\*\*\* \(SUBJECT\|BLURB\) HERE \*\*\*' "$cover"; then
			fail "$name/0000-cover-letter.patch: the template is not filled in"
		fi
		if ! (cd "$work" && scripts/checkpatch.pl --strict -q "$cover") \
			>"$tmp/checkpatch.log" 2>&1; then
			cat "$tmp/checkpatch.log" >&2
			fail "$name/0000-cover-letter.patch: checkpatch.pl --strict reported problems"
		fi
		echo "check.sh: $name/0000-cover-letter.patch: checkpatch --strict clean"
	fi
	echo "check.sh: $name: ${#patches[@]} patches apply with git am"
done
exit 0
