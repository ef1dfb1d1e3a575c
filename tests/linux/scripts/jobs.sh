# Background jobs, wait, trap, kill and signals.
trap 'echo "trapped USR1"' USR1
kill -USR1 $$
echo "after USR1"
trap - USR1
( exit 4 ) &
wait $!
echo "background job status $?"
sleep 1 &
pid=$!
kill $pid
# Whether the shell reports "Terminated" here depends on whether the job
# died before `wait` began, which is timing, not behaviour: not compared.
wait $pid 2>/dev/null
echo "killed job status $?"
sh -c 'kill -TERM $$'
echo "TERM status $?"
sh -c 'kill -9 $$'
echo "KILL status $?"
for n in 1 2 3; do (echo "job $n" > /dev/null) & done
wait
echo "all jobs done"
trap 'echo "exit trap"' EXIT
echo "script ends"
