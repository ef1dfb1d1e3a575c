# Files and directories in /tmp: mkdir, touch, ls, mv, cp, ln, rm, find, xargs, stat.
W=/tmp/bbsuite-files-$$
mkdir -p "$W/a/b/c"
cd "$W" || exit 1
touch a/one a/b/two a/b/c/three
echo data > a/b/c/data.txt
ls a
ls -R a | grep -v '^$'
find . -type f | sort
find . -name 't*' | sort
find . -type d | sort | xargs echo
find . -type f | sort | xargs wc -c | tail -n 1
mv a/one a/uno
ls a
cp -r a copy
find copy | sort
ln -s a/b/c/data.txt link
cat link
readlink link
[ -L link ] && echo "is a symlink"
ln a/b/c/data.txt hard
cat hard
[ -d a/b ] && [ -f a/uno ] && [ ! -e a/one ] && echo "tests on files"
chmod 600 a/uno
ls -l a/uno | cut -c1-10
rm a/b/two
rmdir a/b 2>/dev/null || echo "rmdir of a full directory fails"
rm -r copy
ls
du -s a >/dev/null && echo "du ran"
basename /x/y/z.txt .txt
dirname /x/y/z.txt
cd /
rm -r "$W"
[ -e "$W" ] || echo "all removed"
