P="/usr/lib/postgresql/15/bin/psql -h /tmp/fig10m-pg -p 55432 -U postgres -X -q"
OLD="drop index m_cty_final; drop index m_tw_list; drop index m_cm_list;"
NEW="drop index matters_county_code_received_at_id_idx; drop index matters_township_code_received_at_id_idx; drop index matters_community_code_received_at_id_idx;"
summ() { grep -E "Execution Time|^   Buffers|^ *Buffers: shared" | awk '/Execution/ {print "  time " $3 " ms, buffers " buf; buf=""; next} /Buffers/ && buf=="" {buf=$0; sub(/^ *Buffers: /,"",buf)}'; }
for r in 1 2; do
 echo "== round $r, before (old indexes; 7 figure queries), load $(cut -d' ' -f1-3 /proc/loadavg)"
 echo "-- lists"; (echo "begin; $OLD"; cat lists_all.sql; echo rollback) | $P | summ
 echo "-- figures"; (echo "begin; $OLD"; cat before.sql; echo rollback) | $P | summ
 echo "== round $r, after (QueryIndexes; one pass), load $(cut -d' ' -f1-3 /proc/loadavg)"
 echo "-- lists"; (echo "begin; $NEW"; cat lists_all.sql; echo rollback) | $P | summ
 echo "-- figures"; (echo "begin; $NEW"; cat after.sql; echo rollback) | $P | summ
done
