# Redirections, here-documents, pipes and subshells, on files in /tmp.
W=/tmp/bbsuite-redirect-$$
mkdir -p "$W"
cd "$W" || exit 1
echo first > out.txt
echo second >> out.txt
cat out.txt
wc -l < out.txt
cat <<END
here-document line 1
  indented \$HOME stays literal: $((1 + 1))
END
cat <<'END'
quoted here-document: $nothing expands
END
cat <<-END
	tabs are stripped
	END
ls nothing-here 2> err.txt
echo "ls status $?"
grep -c "nothing-here" err.txt
{ echo grouped; echo commands; } > group.txt
cat group.txt
(cd /; pwd)
pwd | sed "s|$W|W|"
x=outer
(x=inner; echo "subshell sees $x")
echo "parent keeps $x"
exec 3> fd3.txt
echo "through fd 3" >&3
exec 3>&-
cat fd3.txt
echo "to stderr" 1>&2 2>/dev/null
echo "both" > both.txt 2>&1
cat both.txt
echo "$(echo nested $(echo deeper))"
read -r line < out.txt
echo "read: $line"
cd /
rm -r "$W"
