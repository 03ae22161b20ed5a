#!/usr/bin/env bash
# test_cache_security.sh — the cache directory must be ours and private;
# the corpus's reference digests come from its seed (a corpus rewritten
# together with SHA512SUMS is a wrong answer); a damaged corpus is repaired
# in place, and what killed runs left half-written is removed.
. "$(dirname "$0")/lib.sh"
sha=(-w sha512 -m sequential -n 1 --reps 1 --warmup 0 --param files=5 --param size=64K)

# 1. a world-writable or foreign cache directory is refused before measuring
mkdir -m 777 "$tmp/open"; chmod 777 "$tmp/open"
"$CMBENCH" run "${sha[@]}" --cache-dir "$tmp/open" -o "$tmp/r.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "writable by others" "$tmp/err" && [ ! -e "$tmp/r.json" ] \
	&& say "ok: world-writable cache refused: $(cat "$tmp/err")" || bad "world-writable cache: rc=$rc $(cat "$tmp/err")"
if [ "$(id -u)" -eq 0 ]; then
	mkdir -m 700 "$tmp/theirs"; chown 65534 "$tmp/theirs"
	"$CMBENCH" run "${sha[@]}" --cache-dir "$tmp/theirs" -o "$tmp/r.json" >/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && grep -q "belongs to uid 65534" "$tmp/err" && say "ok: foreign cache refused: $(cat "$tmp/err")" \
		|| bad "foreign cache: rc=$rc $(cat "$tmp/err")"
	# HOME unset: the fallback ${TMPDIR:-/tmp}/cmbench-UID made by someone else
	mkdir -p "$tmp/t"; mkdir -m 777 "$tmp/t/cmbench-$(id -u)"; chmod 777 "$tmp/t/cmbench-$(id -u)"
	env -u HOME -u XDG_CACHE_HOME -u CMBENCH_CACHE TMPDIR="$tmp/t" "$CMBENCH" run "${sha[@]}" -o "$tmp/r.json" \
		>/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && grep -q "cmbench-$(id -u)" "$tmp/err" && say "ok: planted fallback cache refused" \
		|| bad "planted fallback cache: rc=$rc $(cat "$tmp/err")"
fi

# 2. a corpus rewritten together with its SHA512SUMS is a wrong answer
cache="$tmp/cache"
"$CMBENCH" run "${sha[@]}" --cache-dir "$cache" -o "$tmp/a.json" >/dev/null 2>"$tmp/err" || bad "first run: $(cat "$tmp/err")"
dir=$(echo "$cache"/corpus-*)
printf 'X' | dd of="$dir/file00003.bin" bs=1 seek=10 conv=notrunc status=none
(cd "$dir" && sha512sum file*.bin >SHA512SUMS)
"$CMBENCH" run "${sha[@]}" --cache-dir "$cache" -o "$tmp/b.json" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q "file00003.bin does not match" "$tmp/out" && say "ok: corpus + SHA512SUMS tampered: wrong answer naming file00003" \
	|| bad "tampered corpus accepted: rc=$rc $(grep -m1 ERROR "$tmp/out")"

# 3. a damaged corpus (a truncated and a missing file) is repaired in place,
#    with no second copy; half-written files of dead runs are removed
rm -rf "$cache"
"$CMBENCH" run "${sha[@]}" --cache-dir "$cache" -o "$tmp/a.json" >/dev/null 2>&1
dir=$(echo "$cache"/corpus-*)
truncate -s 100 "$dir/file00001.bin"
rm "$dir/file00002.bin"
mkdir "$dir.tmp.999999999"; head -c 100000 /dev/zero >"$dir.tmp.999999999/file00000.bin"   # SIGINT mid-generation
head -c 1000 /dev/zero >"$dir/file00004.bin.tmp.999999998"                                  # ENOSPC mid-file
"$CMBENCH" run "${sha[@]}" --cache-dir "$cache" -o "$tmp/c.json" >/dev/null 2>"$tmp/err"
rc=$?
n=$(ls -A "$cache" | wc -l)
m=$(ls -A "$dir" | wc -l)
[ $rc -eq 0 ] && [ "$n" -eq 1 ] && [ "$m" -eq 6 ] && (cd "$dir" && sha512sum -c --quiet SHA512SUMS) \
	&& say "ok: damaged corpus repaired in place; leftovers of killed runs removed" \
	|| bad "damaged corpus: rc=$rc cache=$(ls -A "$cache") corpus=$(ls -A "$dir") $(cat "$tmp/err")"
exit $fail
