# Helpers the side-by-side scripts share (sourced, not run).
say() { printf '%s\n' "$*" >&2; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wait_port() { for _ in $(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; say "nothing listens on $1"; return 1; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "-" }'; }
now() { date +%s.%N; }
store() { # $1 = dataset folder, $2 = associations; C-STOREs to $aet on 127.0.0.1:$port, prints the seconds
  local start end parts=() i=0
  for study in "$1"/*; do parts[$((i % $2))]+="$study "; i=$((i + 1)); done
  start=$(now)
  for p in "${parts[@]}"; do
    # shellcheck disable=SC2086
    storescu -aec "$aet" +sd +r 127.0.0.1 "$port" $p >/dev/null 2>&1 &
  done
  wait # this runs in a subshell: its children are the storescu processes only
  end=$(now)
  echo "$end - $start" | bc -l
}
