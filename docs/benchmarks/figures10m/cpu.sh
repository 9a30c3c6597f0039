# Server CPU (utime+stime of the backend, in ms) for a script run in one session; rows are sent to the client and discarded.
P="/usr/lib/postgresql/15/bin/psql -h /tmp/fig10m-pg -p 55432 -U postgres -X -q -At"
run() { # $1 = label, $2 = sql file
  { echo "select pg_backend_pid() \\gset"; echo "\\setenv BPID :pg_backend_pid"; echo "\\! awk '{print \$14+\$15}' /proc/\$BPID/stat > /tmp/fig10m-pg/cpu.a"; cat $2; echo "\\! awk '{print \$14+\$15}' /proc/\$BPID/stat > /tmp/fig10m-pg/cpu.b"; } | $P -o /dev/null
  echo "$1: $(( ($(cat cpu.b) - $(cat cpu.a)) * 10 )) ms backend CPU, load $(cut -d' ' -f1 /proc/loadavg)"
}
sed 's/^explain (analyze, buffers, costs off, timing off, summary on) //' before.sql | sed 's/^begin.*//' > before_plain.sql
sed 's/^explain (analyze, buffers, costs off, timing off, summary on) //' after.sql > after_plain.sql
OLD="begin; drop index m_cty_final; drop index m_tw_list; drop index m_cm_list;"
NEW="begin; drop index matters_county_code_received_at_id_idx; drop index matters_township_code_received_at_id_idx; drop index matters_community_code_received_at_id_idx;"
for r in 1 2 3; do
 { echo "$OLD"; cat before_plain.sql; echo rollback; } > b.sql; run "before $r (7 queries, old indexes)" b.sql
 { echo "$NEW"; cat after_plain.sql; echo rollback; } > a.sql; run "after $r (one pass, QueryIndexes)" a.sql
done
