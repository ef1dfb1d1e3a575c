# tar and gzip on files in /tmp.
W=/tmp/bbsuite-archive-$$
mkdir -p "$W/src/sub"
cd "$W" || exit 1
seq 1 500 > src/numbers
echo hello > src/sub/hello
tar cf pack.tar src
tar tf pack.tar | sort
mkdir out
tar xf pack.tar -C out
cmp src/numbers out/src/numbers && echo "tar round trip"
gzip -c src/numbers > numbers.gz
gunzip -c numbers.gz | tail -n 1
zcat numbers.gz | wc -l
tar czf pack.tgz src
tar tzf pack.tgz | sort | head -n 2
gzip src/sub/hello
ls src/sub
gunzip src/sub/hello.gz
cat src/sub/hello
md5sum src/numbers | cut -d' ' -f1
sha1sum src/sub/hello | cut -d' ' -f1
cd /
rm -r "$W"
