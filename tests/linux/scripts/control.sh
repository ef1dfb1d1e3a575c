# Control flow, functions, variables and expansions.
greet() {
	local who=$1
	echo "hello, $who"
	return 3
}
greet world
echo "greet returned $?"
for x in one two three; do
	case $x in
	one) echo "case one" ;;
	t*) echo "case t-word: $x" ;;
	esac
done
i=0
while [ $i -lt 5 ]; do
	i=$((i + 1))
	[ $i -eq 2 ] && continue
	[ $i -eq 4 ] && break
	echo "while $i"
done
until [ $i -eq 0 ]; do i=$((i - 1)); done
echo "until left i=$i"
s="a-b-c"
echo "${s#*-} ${s##*-} ${s%-*} ${s%%-*} ${#s}"
echo "${unset_var:-default} ${unset_var:=assigned} $unset_var"
set -- x "y z" w
echo "$# args, second is '$2'"
for a in "$@"; do echo "arg <$a>"; done
shift
echo "after shift: $*"
printf '%s|%5s|%-5s|%03d|%x\n' str right left 7 255
echo $((17 % 5)) $((2 ** 10)) $((7 / 2)) $(((3 + 4) * 2))
false || echo "or branch"
true && echo "and branch"
! false && echo "negation"
if [ -z "" ] && [ -n "x" ]; then echo "test -z -n"; fi
[ "abc" = "abc" ] && [ 3 -gt 2 ] && echo "string and number tests"
