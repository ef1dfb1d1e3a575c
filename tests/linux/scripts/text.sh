# Text tools on files in /tmp: sort, uniq, grep, sed, awk, cut, tr, head, tail.
W=/tmp/bbsuite-text-$$
mkdir -p "$W"
cd "$W" || exit 1
printf 'pear 3\napple 10\nfig 7\napple 2\nbanana 5\npear 1\n' > fruit.txt
sort fruit.txt
sort -k2 -n fruit.txt
sort -r fruit.txt | head -n 2
cut -d' ' -f1 fruit.txt | sort | uniq
cut -d' ' -f1 fruit.txt | sort | uniq -c
grep apple fruit.txt
grep -v apple fruit.txt | wc -l
grep -n '^f' fruit.txt
grep -E 'p(ear|ple)' fruit.txt | tail -n 1
sed 's/apple/APPLE/g' fruit.txt | head -n 2
sed -n '2,3p' fruit.txt
sed '/pear/d' fruit.txt
awk '{ total += $2 } END { print "total", total }' fruit.txt
awk '$2 > 4 { print $1 }' fruit.txt
awk -F' ' '{ n[$1]++ } END { for (k in n) print k, n[k] }' fruit.txt | sort
tr 'a-z' 'A-Z' < fruit.txt | head -n 1
tr -d '0-9' < fruit.txt | tail -n 1
head -c 10 fruit.txt; echo
tail -n 2 fruit.txt
seq 1 10 | paste -sd+ | bc 2>/dev/null || seq 1 10 | awk '{ s += $1 } END { print s }'
printf 'b\na\nb\nc\na\n' | sort -u
echo "a,b,,d" | awk -F, '{ print NF, $4 }'
cmp fruit.txt fruit.txt && echo "cmp same"
cp fruit.txt copy.txt
echo extra >> copy.txt
diff fruit.txt copy.txt
echo "diff status $?"
cd /
rm -r "$W"
