#!/usr/bin/env atf-sh
# shellcheck shell=sh
#
# dm(4): the device-mapper driver, through dmctl(8) and the dm disks.
# Runs on NetBSD as installed under /usr/tests/dev/dm, and in host mode
# with the test suite variable dm_hostbin set (see h_dm.sh).

# shellcheck source=h_dm.sh disable=SC1091
. "$(atf_get_srcdir)/h_dm.sh"

# ---- the seed example ----------------------------------------------------

atf_test_case seed cleanup
seed_head()
{
	atf_set descr "0 10240 linear <disk> 384: bytes land 384 sectors in"
}
seed_body()
{
	dm_setup
	wd=$(dm_disk wd1a 16)
	atf_check dmctl create demo
	echo "0 10240 linear $wd 384" >t
	atf_check dmctl reload demo t
	atf_check dmctl resume demo
	dm_pattern pat 1024 1
	dm_write demo 0 pat || atf_fail "write through the dm device failed"
	dm_comp_read "$wd" $((384 * 512)) 1048576 got || atf_fail "reading the component failed"
	atf_check cmp pat got
	dm_comp_read "$wd" 0 $((384 * 512)) head || atf_fail "reading the component failed"
	atf_check cmp -n $((384 * 512)) head /dev/zero
	dm_read demo 0 1048576 back || atf_fail "read through the dm device failed"
	atf_check cmp pat back
}
seed_cleanup()
{
	dm_cleanup
}

# ---- every command and its output -----------------------------------------

atf_test_case commands cleanup
commands_head()
{
	atf_set descr "version, targets, ls, info, table, deps, rename, remove"
}
commands_body()
{
	dm_setup
	wd=$(dm_disk wd 4)
	atf_check -o inline:"Library protocol version 4:0:0\nKernel protocol version 4:16:0\n" dmctl version
	atf_check -o match:"^Target name: linear$" -o match:"^Target version 1.0.2$" \
	    -o match:"^Target name: striped$" -o match:"^Target name: flakey$" dmctl targets
	atf_check -o empty dmctl ls
	atf_check dmctl create t0
	atf_check -o inline:"Device name: t0, device minor: 1 \n" dmctl ls
	atf_check -o inline:"Printing Device info for:\nDevice name: \t\tt0\nDevice uuid: \t\t\nDevice minor: \t\t1\nDevice target number: \t0\nDevice flags: \t\t0\n" dmctl info t0
	echo "0 1024 linear $wd 2" >t
	atf_check dmctl reload t0 t
	atf_check -o match:"^Device flags: .*64$" dmctl info t0
	atf_check dmctl resume t0
	atf_check -o match:"^Device flags: .*32$" -o match:"target number: .1$" dmctl info t0
	atf_check -o inline:"Getting device table for device t0\n         0       1024 linear\n" dmctl table t0
	atf_check -o inline:"Getting device table for device t0\n         0       1024 linear\n" dmctl status t0
	atf_check -o match:"^Device t0 dependencies $" -o match:"^major: [0-9]+ minor: [0-9]+$" dmctl deps t0
	atf_check -o match:"^0 1024 linear [0-9]+:[0-9]+ 2$" dmctl -S table t0
	atf_check dmctl suspend t0
	atf_check -o match:"^Device flags: .*34$" dmctl info t0
	atf_check dmctl resume t0
	atf_check dmctl rename t0 t1
	atf_check -s exit:1 -o empty -e match:"No such file or directory" dmctl info t0
	atf_check -o inline:"Device name: t1, device minor: 1 \n" dmctl ls
	atf_check dmctl remove t1
	atf_check -o empty dmctl ls
	atf_check -s exit:1 -e match:"dmctl_dev_remove: libdm_task_run failed.: No such file or directory" dmctl remove t1
}
commands_cleanup()
{
	dm_cleanup
}

atf_test_case usage
usage_head()
{
	atf_set descr "operand rules and messages of NetBSD's dmctl"
}
usage_body()
{
	dm_setup
	atf_check -s exit:1 -e match:"^usage: dmctl command" dmctl
	atf_check -s exit:1 -e inline:"dmctl: unknown command: bogus\n" dmctl bogus
	atf_check -s exit:1 -e match:"Insufficient number of arguments for command: create specified" dmctl create
	atf_check -s exit:1 -e match:"Insufficient number of arguments for command: ls specified" dmctl ls extra
	atf_check -s exit:1 -e match:"Insufficient number of arguments for command: rename specified" dmctl rename t0
	atf_check -s exit:2 -e match:"unrecognized subcommand" dmctl -S bogus
	dm_cleanup
}

# ---- bad input: each refused with its errno, nothing changed ---------------

atf_test_case bad_input cleanup
bad_input_head()
{
	atf_set descr "bad tables and names are refused and change nothing"
}
bad_input_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	atf_check dmctl create t
	echo "0 1024 linear $wd 2" >good
	atf_check dmctl reload t good
	for table in "0 1024 nosuchtarget x" "0 1024 linear $wd" \
	    "0 1024 linear $wd 12x" "0 512 zero;1024 512 zero" \
	    "0 1024 zero;512 512 zero" "0 0 zero" "0 1024 linear /nonexistent 2" \
	    "0 8192 linear $wd 2" "0 1024 striped 2 8 $wd 2"; do
		echo "$table" | tr ';' '\n' >bad
		atf_check -s exit:1 -e match:"dmctl: " dmctl reload t bad
		atf_check -o match:"^Device flags: .*64$" dmctl info t
	done
	echo "0 8 nosuchtarget" >b2
	atf_check -s exit:1 -e match:"unknown target type 'nosuchtarget'" dmctl reload t b2
	echo "0 512 zero" >g1
	echo "1024 512 zero" >>g1
	atf_check -s exit:1 -e match:"gap" dmctl reload t g1
	atf_check -s exit:1 -e match:"File exists" dmctl create t
	atf_check -s exit:1 -e match:"Invalid argument" dmctl create \
	    "$(printf '%0128d' 0)"
	atf_check -s exit:1 -e match:"Invalid argument" dmctl create "a/b"
	atf_check -o inline:"Device name: t, device minor: 1 \n" dmctl ls
}
bad_input_cleanup()
{
	dm_cleanup
}

atf_test_case two_sector_rule cleanup
two_sector_rule_head()
{
	atf_set descr "components start past their label area"
}
two_sector_rule_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	atf_check dmctl create t
	echo "0 1024 linear $wd 1" >t1
	atf_check -s exit:1 -e match:"disklabel" dmctl reload t t1
	echo "0 1024 linear $wd 0" >t0
	atf_check -s exit:1 -e match:"disklabel" dmctl reload t t0
	echo "0 1024 linear $wd 2" >t2
	atf_check dmctl reload t t2
	atf_check -s exit:1 -e match:"disklabel" dmctl -S load t t0
	atf_check dmctl -S load t t0 --label-override
}
two_sector_rule_cleanup()
{
	dm_cleanup
}

atf_test_case oversized_request cleanup
oversized_request_head()
{
	atf_set descr "a request over the 4 MiB cap is E2BIG; the driver serves on"
}
oversized_request_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	atf_check dmctl create big
	i=0
	while [ $i -lt 40000 ]; do
		echo "$((i * 8)) 8 linear $wd $((i + 2))"
		i=$((i + 1))
	done >big.table
	atf_check -s exit:1 -e match:"Argument list too long" dmctl reload big big.table
	atf_check -o match:"^Device flags: .*0$" dmctl info big
	atf_check -o match:"Kernel protocol version" dmctl version
}
oversized_request_cleanup()
{
	dm_cleanup
}

# ---- tables and targets ---------------------------------------------------

atf_test_case table_swap cleanup
table_swap_head()
{
	atf_set descr "reload fills the inactive slot; resume swaps it in"
}
table_swap_body()
{
	dm_setup
	wd=$(dm_disk wd 4)
	echo "0 1024 linear $wd 2" >a
	echo "0 2048 zero" >b
	atf_check dmctl create t
	atf_check dmctl reload t a
	atf_check dmctl resume t
	atf_check dmctl reload t b
	atf_check -o match:"^Device flags: .*96$" dmctl info t
	atf_check -o match:"1024 linear" dmctl table t
	atf_check -o match:"^0 2048 zero$" dmctl -S table --inactive t
	atf_check dmctl resume t
	atf_check -o match:"2048 zero" dmctl table t
	atf_check dmctl -S clear t
	atf_check -o match:"^Device flags: .*32$" dmctl info t
}
table_swap_cleanup()
{
	dm_cleanup
}

atf_test_case multi_line cleanup
multi_line_head()
{
	atf_set descr "linear, zero and error lines in one table"
}
multi_line_body()
{
	dm_setup
	wd=$(dm_disk wd 4)
	dm_pattern pat 256 3
	dd if=pat of="$DM_WORK/wd.img" bs=512 seek=100 conv=notrunc 2>/dev/null
	printf '0 512 linear %s 100\n512 512 zero\n1024 512 error\n' "$wd" >t
	atf_check dmctl create m
	atf_check dmctl reload m t
	atf_check dmctl resume m
	dm_read m 0 262144 got || atf_fail "read through the dm device failed"
	atf_check cmp pat got
	dm_read m 262144 262144 z || atf_fail "read through the dm device failed"
	atf_check cmp -n 262144 z /dev/zero
	dm_read m 524288 4096 e && atf_fail "the read should have failed"
	dm_read m 522240 4096 e && atf_fail "the read should have failed"
	dm_read m 261120 2048 across || atf_fail "read through the dm device failed"
}
multi_line_cleanup()
{
	dm_cleanup
}

atf_test_case striped cleanup
striped_head()
{
	atf_set descr "chunks go round-robin over the stripes"
}
striped_body()
{
	dm_setup
	a=$(dm_disk a 2)
	b=$(dm_disk b 2)
	echo "0 2048 striped 2 16 $a 2 $b 2" >t
	atf_check dmctl create s
	atf_check dmctl reload s t
	atf_check dmctl resume s
	dm_pattern pat 32 5
	dm_write s 0 pat || atf_fail "write through the dm device failed"
	# chunk 0 (8 KiB) on a at 2, chunk 1 on b at 2, chunk 2 on a at 18...
	dd if=pat of=c0 bs=512 count=16 2>/dev/null
	dd if=pat of=c1 bs=512 skip=16 count=16 2>/dev/null
	dd if=pat of=c2 bs=512 skip=32 count=16 2>/dev/null
	dm_comp_read "$a" 1024 8192 g0 || atf_fail "reading the component failed"
	dm_comp_read "$b" 1024 8192 g1 || atf_fail "reading the component failed"
	dm_comp_read "$a" $((18 * 512)) 8192 g2 || atf_fail "reading the component failed"
	atf_check cmp c0 g0
	atf_check cmp c1 g1
	atf_check cmp c2 g2
	atf_check -o match:"^0 2048 striped 2 16 " dmctl -S table s
	atf_check -o match:" 1 AA$" dmctl -S status s
}
striped_cleanup()
{
	dm_cleanup
}

atf_test_case delay cleanup
delay_head()
{
	atf_set descr "delay holds I/O for its milliseconds"
}
delay_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	echo "0 1024 delay $wd 2 300" >t
	atf_check dmctl create d
	atf_check dmctl reload d t
	atf_check dmctl resume d
	start=$(date +%s%N)
	dm_read d 0 512 x || atf_fail "read through the dm device failed"
	end=$(date +%s%N)
	elapsed=$(((end - start) / 1000000))
	[ "$elapsed" -ge 300 ] || atf_fail "read took ${elapsed} ms, expected >= 300"
}
delay_cleanup()
{
	dm_cleanup
}

atf_test_case flakey cleanup
flakey_head()
{
	atf_set descr "flakey fails while down; messages pin its state"
}
flakey_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	echo "0 1024 flakey $wd 2 3600 1" >t
	atf_check dmctl create f
	atf_check dmctl reload f t
	atf_check dmctl resume f
	dm_read f 0 4096 x || atf_fail "read through the dm device failed"
	atf_check dmctl -S message f 0 down
	atf_check -o match:"flakey down pinned" dmctl -S status f
	dm_read f 0 4096 x && atf_fail "the read should have failed"
	atf_check dmctl -S message f 0 up
	dm_read f 0 4096 x || atf_fail "read through the dm device failed"
}
flakey_cleanup()
{
	dm_cleanup
}

# ---- lifecycle --------------------------------------------------------------

atf_test_case remove_busy cleanup
remove_busy_head()
{
	atf_set descr "an open device cannot be removed"
}
remove_busy_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	echo "0 1024 linear $wd 2" >t
	atf_check dmctl create b
	atf_check dmctl reload b t
	atf_check dmctl resume b
	dm_hold b 3
	atf_check -s exit:1 -e match:"Device busy" dmctl remove b
	atf_check -o match:"^Device name: b," dmctl ls
	dm_release
	atf_check dmctl remove b
}
remove_busy_cleanup()
{
	dm_cleanup
}

atf_test_case remove_all cleanup
remove_all_head()
{
	atf_set descr "remove_all removes every device"
}
remove_all_body()
{
	dm_setup
	atf_check dmctl create a
	atf_check dmctl create b
	atf_check dmctl -S remove_all
	atf_check -o empty dmctl ls
}
remove_all_cleanup()
{
	dm_cleanup
}

atf_test_case waitevent cleanup
waitevent_head()
{
	atf_set descr "wait wakes when a resume swaps in a table"
}
waitevent_body()
{
	dm_setup
	echo "0 1024 zero" >t
	atf_check dmctl create w
	atf_check dmctl reload w t
	atf_check dmctl resume w
	dmctl -S wait w 1 >woke &
	waiter=$!
	sleep 0.5
	[ -s woke ] && atf_fail "wait returned before the event"
	atf_check dmctl reload w t
	atf_check dmctl resume w
	wait "$waiter"
	atf_check -o inline:"2\n" cat woke
}
waitevent_cleanup()
{
	dm_cleanup
}

atf_test_case stacking cleanup
stacking_head()
{
	atf_set descr "a dm device on another dm device"
}
stacking_body()
{
	dm_setup
	wd=$(dm_disk wd 4)
	echo "0 4096 linear $wd 100" >low
	atf_check dmctl create low
	atf_check dmctl reload low low
	atf_check dmctl resume low
	lowdev=$(dm_blk low)
	echo "0 2048 linear $lowdev 1000" >top
	atf_check dmctl create top
	atf_check dmctl reload top top
	atf_check dmctl resume top
	dm_pattern pat 64 9
	dm_write top 0 pat || atf_fail "write through the dm device failed"
	dm_comp_read "$wd" $(((100 + 1000) * 512)) 65536 got || atf_fail "reading the component failed"
	atf_check cmp pat got
	atf_check -s exit:1 -e match:"Device busy" dmctl remove low
	atf_check dmctl remove top
	atf_check dmctl remove low
}
stacking_cleanup()
{
	dm_cleanup
}

# ---- commands: exact output and state ----------------------------------------

# info_is NAME UUID TARGETS FLAGS: dmctl info prints exactly this.
info_is()
{
	atf_check -o inline:"Printing Device info for:\nDevice name: \t\t$1\nDevice uuid: \t\t$2\nDevice minor: \t\t$(dm_minor "$1")\nDevice target number: \t$3\nDevice flags: \t\t$4\n" \
	    dmctl info "$1"
}

# mkdev NAME LINE...: NAME with a table of LINEs, active.
mkdev()
{
	n=$1
	shift
	printf '%s\n' "$@" >"$n.table"
	atf_check dmctl create "$n"
	atf_check dmctl reload "$n" "$n.table"
	atf_check dmctl resume "$n"
}

atf_test_case version_targets cleanup
version_targets_head()
{
	atf_set descr "version and targets, in both command sets"
}
version_targets_body()
{
	dm_setup
	atf_check -o inline:"Library protocol version 4:0:0\nKernel protocol version 4:16:0\n" dmctl version
	atf_check -o inline:"Target name: linear\nTarget version 1.0.2\n\nTarget name: striped\nTarget version 1.0.3\n\nTarget name: error\nTarget version 1.0.0\n\nTarget name: zero\nTarget version 1.0.0\n\nTarget name: delay\nTarget version 1.0.0\n\nTarget name: flakey\nTarget version 1.0.0\n\n" \
	    dmctl targets
	atf_check -o inline:"linear           v1.0.2\nstriped          v1.0.3\nerror            v1.0.0\nzero             v1.0.0\ndelay            v1.0.0\nflakey           v1.0.0\n" \
	    dmctl -S targets
	atf_check -o inline:"Driver version:    4.16.0\n" dmctl -S version
	atf_check -o inline:"{\n\t\"driver\": \"4.16.0\"\n}\n" dmctl -S --json version
	atf_check -s exit:1 -o empty -e match:"Insufficient number of arguments for command: version specified" \
	    dmctl version extra
}
version_targets_cleanup()
{
	dm_cleanup
}

atf_test_case ls_names cleanup
ls_names_head()
{
	atf_set descr "ls lists every device with its minor, in both formats; none is said"
}
ls_names_body()
{
	dm_setup
	atf_check -o empty dmctl ls
	atf_check -o inline:"No devices found\n" dmctl -S ls
	atf_check -o inline:"No devices found\n" dmctl -S info
	atf_check -o inline:"No devices found\n" dmctl -S info -c
	atf_check -o inline:"No devices found\n" dmctl -S table
	atf_check -o inline:"No devices found\n" dmctl -S status
	atf_check dmctl create a
	atf_check dmctl create b
	ma=$(dm_minor a)
	mb=$(dm_minor b)
	[ "$ma" -ne "$mb" ] || atf_fail "a and b share minor $ma"
	atf_check -o inline:"Device name: a, device minor: $ma \nDevice name: b, device minor: $mb \n" dmctl ls
	atf_check -o inline:"a\t(169:$ma)\nb\t(169:$mb)\n" dmctl -S ls
	atf_check dmctl remove a
	atf_check -o inline:"Device name: b, device minor: $mb \n" dmctl ls
	atf_check dmctl create c
	mc=$(dm_minor c)
	[ "$mc" -ne "$mb" ] || atf_fail "b and c share minor $mb"
	atf_check -o inline:"Device name: b, device minor: $mb \nDevice name: c, device minor: $mc \n" dmctl ls
}
ls_names_cleanup()
{
	dm_cleanup
}

atf_test_case info_flags cleanup
info_flags_head()
{
	atf_set descr "info's flags and target number through a device's life"
}
info_flags_body()
{
	dm_setup
	atf_check dmctl create d
	info_is d "" 0 0
	echo "0 64 zero" >one
	printf '0 64 zero\n64 64 error\n' >two
	atf_check dmctl reload d one
	info_is d "" 0 64
	atf_check dmctl resume d
	info_is d "" 1 32
	atf_check dmctl reload d two
	info_is d "" 1 96
	atf_check -o inline:"Name:              d\nState:             ACTIVE\nTables present:    LIVE & INACTIVE\nOpen count:        0\nEvent number:      1\nMajor, minor:      169, $(dm_minor d)\nNumber of targets: 1\n" \
	    dmctl -S info d
	atf_check -o match:"^d +169 +[0-9]+ L-wi    0    1      1 $" dmctl -S info -c d
	atf_check dmctl suspend d
	info_is d "" 1 98
	atf_check -o match:"^State:             SUSPENDED$" dmctl -S info d
	atf_check -o match:"^d +169 +[0-9]+ s-wi    0    1      1 $" dmctl -S info -c d
	atf_check dmctl resume d
	info_is d "" 2 32
	atf_check -o match:"^Event number:      2$" -o match:"^Tables present:    LIVE$" dmctl -S info d
}
info_flags_cleanup()
{
	dm_cleanup
}

atf_test_case missing_device cleanup
missing_device_head()
{
	atf_set descr "every NetBSD verb on a missing device: ENOENT in NetBSD's words"
}
missing_device_body()
{
	dm_setup
	enoent="dmctl: device 'nosuch' does not exist (ENOENT)\n"
	nf="No such file or directory"
	atf_check -s exit:1 -o empty -e inline:"dmctl: dmctl_get_device_info: libdm_task_run failed: $nf\n$enoent" dmctl info nosuch
	atf_check -s exit:1 -o empty -e inline:"dmctl: libdm_task_run: $nf\n$enoent" dmctl table nosuch
	atf_check -s exit:1 -o empty -e inline:"dmctl: libdm_task_run: $nf\n$enoent" dmctl status nosuch
	atf_check -s exit:1 -o empty -e inline:"dmctl: dmctl_dev_deps: libdm_task_run failed.: $nf\n$enoent" dmctl deps nosuch
	atf_check -s exit:1 -o empty -e inline:"dmctl: dmctl_dev_resume: libdm_task_run failed.: $nf\n$enoent" dmctl resume nosuch
	atf_check -s exit:1 -o empty -e inline:"dmctl: dmctl_dev_suspend: libdm_task_run failed.: $nf\n$enoent" dmctl suspend nosuch
	atf_check -s exit:1 -o empty -e inline:"dmctl: dmctl_dev_rename: libdm_task_run failed.: $nf\n$enoent" dmctl rename nosuch other
	atf_check -s exit:1 -o empty -e inline:"dmctl: dmctl_dev_remove: libdm_task_run failed.: $nf\n$enoent" dmctl remove nosuch
	echo "0 8 zero" >t
	atf_check -s exit:1 -o empty -e inline:"dmctl: libdm_task_run: from dmctl_table_reload failed.: $nf\n$enoent" dmctl reload nosuch t
	atf_check -o empty dmctl ls
}
missing_device_cleanup()
{
	dm_cleanup
}

atf_test_case missing_device_dmsetup cleanup
missing_device_dmsetup_head()
{
	atf_set descr "every dmsetup verb on a missing device: ENOENT"
}
missing_device_dmsetup_body()
{
	dm_setup
	msg="ENOENT (No such file or directory): device 'nosuch' does not exist"
	for verb in info table status deps resume suspend clear mknodes wait \
	    remove; do
		atf_check -s exit:1 -o empty -e inline:"dmsetup: $verb nosuch: $msg\n" \
		    dmctl -S "$verb" nosuch
	done
	atf_check -s exit:1 -o empty -e inline:"dmsetup: load nosuch: $msg\n" \
	    dmctl -S load nosuch --table "0 8 zero"
	atf_check -s exit:1 -o empty -e inline:"dmsetup: rename nosuch: $msg\n" \
	    dmctl -S rename nosuch other
	atf_check -s exit:1 -o empty -e inline:"dmsetup: message nosuch: $msg\n" \
	    dmctl -S message nosuch 0 down
	atf_check -s exit:1 -o empty -e inline:"dmsetup: setgeometry nosuch: $msg\n" \
	    dmctl -S setgeometry nosuch 1 1 1 0
	atf_check -o inline:"No devices found\n" dmctl -S ls
}
missing_device_dmsetup_cleanup()
{
	dm_cleanup
}

atf_test_case create_exists cleanup
create_exists_head()
{
	atf_set descr "a second device of the same name or uuid is EEXIST"
}
create_exists_body()
{
	dm_setup
	atf_check dmctl create a
	atf_check dmctl create b
	ma=$(dm_minor a)
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: dmctl_create_dev: libdm_task_run failed.: File exists\ndmctl: a device named 'a' already exists (EEXIST)\n" \
	    dmctl create a
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: dmctl_dev_rename: libdm_task_run failed.: File exists\ndmctl: a device named 'b' already exists (EEXIST)\n" \
	    dmctl rename a b
	atf_check -s exit:1 \
	    -e inline:"dmsetup: create a: EEXIST (File exists): a device named 'a' already exists\n" \
	    dmctl -S create a --notable
	atf_check -o inline:"Device name: a, device minor: $ma \nDevice name: b, device minor: $(dm_minor b) \n" dmctl ls
	atf_check dmctl rename a a
	info_is a "" 0 0
}
create_exists_cleanup()
{
	dm_cleanup
}

atf_test_case bad_names cleanup
bad_names_head()
{
	atf_set descr "names: 1-127 bytes, no '/', not . or .., no control characters"
}
bad_names_body()
{
	dm_setup
	for n in "." ".."; do
		atf_check -s exit:1 -o empty \
		    -e inline:"dmctl: dmctl_create_dev: libdm_task_run failed.: Invalid argument\ndmctl: '$n' cannot be a device name (EINVAL)\n" \
		    dmctl create "$n"
	done
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: dmctl_create_dev: libdm_task_run failed.: Invalid argument\ndmctl: device name is empty (EINVAL)\n" \
	    dmctl create ""
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: dmctl_create_dev: libdm_task_run failed.: Invalid argument\ndmctl: device name cannot contain control characters (EINVAL)\n" \
	    dmctl create "$(printf 'a\tb')"
	long=$(printf '%0127d' 0)
	atf_check dmctl create "$long"
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: dmctl_dev_rename: libdm_task_run failed.: Invalid argument\ndmctl: device name cannot contain '/' (EINVAL)\n" \
	    dmctl rename "$long" a/b
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: dmctl_dev_rename: libdm_task_run failed.: Invalid argument\ndmctl: '..' cannot be a device name (EINVAL)\n" \
	    dmctl rename "$long" ..
	atf_check -o inline:"Device name: $long, device minor: $(dm_minor "$long") \n" dmctl ls
}
bad_names_cleanup()
{
	dm_cleanup
}

atf_test_case uuid cleanup
uuid_head()
{
	atf_set descr "create -u, rename --setuuid: one uuid per device, unique, checked"
}
uuid_body()
{
	dm_setup
	atf_check dmctl -S create u1 -u UUID-1 --table "0 64 zero"
	info_is u1 UUID-1 1 32
	atf_check -o match:"^UUID: UUID-1$" dmctl -S info u1
	atf_check -s exit:1 -e inline:"dmsetup: create u2: EEXIST (File exists): a device with uuid 'UUID-1' already exists\n" \
	    dmctl -S create u2 -u UUID-1 --table "0 64 zero"
	atf_check -s exit:1 -e match:"No such file or directory" dmctl info u2
	atf_check -s exit:1 -e inline:"dmsetup: rename u1: EINVAL (Invalid argument): device 'u1' already has a uuid\n" \
	    dmctl -S rename u1 UUID-9 --setuuid
	atf_check dmctl -S create u3 --notable
	info_is u3 "" 0 0
	atf_check -o not-match:"UUID" dmctl -S info u3
	atf_check -s exit:1 -e inline:"dmsetup: rename u3: EINVAL (Invalid argument): uuid cannot contain spaces or control characters\n" \
	    dmctl -S rename u3 "a b" --setuuid
	atf_check -s exit:1 -e inline:"dmsetup: rename u3: EEXIST (File exists): uuid 'UUID-1' is taken\n" \
	    dmctl -S rename u3 UUID-1 --setuuid
	atf_check dmctl -S rename u3 UUID-3 --setuuid
	info_is u3 UUID-3 0 0
	atf_check -s exit:1 -e inline:"dmsetup: create u4: EINVAL (Invalid argument): uuid is 129 bytes long; at most 128 are allowed\n" \
	    dmctl -S create u4 -u "$(printf '%0129d' 0)" --notable
	atf_check dmctl -S create u4 -u "$(printf '%0128d' 0)" --notable
	info_is u4 "$(printf '%0128d' 0)" 0 0
	atf_check -o inline:"Name             Maj Min Stat Open Targ Event  UUID\nu1               169 $(printf '%3d' "$(dm_minor u1)") L-w-    0    1      1 UUID-1\n" \
	    dmctl -S info -c u1
}
uuid_cleanup()
{
	dm_cleanup
}

atf_test_case rename_keeps cleanup
rename_keeps_head()
{
	atf_set descr "rename keeps the minor, the table and the data"
}
rename_keeps_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev r "0 1024 linear $wd 2"
	m=$(dm_minor r)
	dm_pattern pat 64 11
	dm_write r 0 pat || atf_fail "write through the dm device failed"
	atf_check dmctl rename r s
	atf_check -s exit:1 -e match:"device 'r' does not exist" dmctl info r
	info_is s "" 1 32
	[ "$(dm_minor s)" = "$m" ] || atf_fail "the minor changed"
	atf_check -o inline:"Getting device table for device s\n         0       1024 linear\n" dmctl table s
	dm_read s 0 65536 got || atf_fail "read through the renamed device failed"
	atf_check cmp pat got
}
rename_keeps_cleanup()
{
	dm_cleanup
}

atf_test_case suspend_holds_io cleanup
suspend_holds_io_head()
{
	atf_set descr "I/O to a suspended device waits for resume"
}
suspend_holds_io_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	dm_pattern pat 4 12
	dd if=pat of="$DM_WORK/wd.img" bs=512 seek=2 conv=notrunc 2>/dev/null
	mkdev s "0 1024 linear $wd 2"
	atf_check dmctl suspend s
	atf_check dmctl suspend s
	info_is s "" 1 34
	(dm_read s 0 4096 got && echo ok >read.done) &
	reader=$!
	sleep 1
	[ -f read.done ] && atf_fail "a read finished while the device was suspended"
	atf_check dmctl resume s
	wait "$reader"
	[ -f read.done ] || atf_fail "the held read failed"
	atf_check cmp pat got
	info_is s "" 1 32
}
suspend_holds_io_cleanup()
{
	dm_cleanup
}

atf_test_case resume_keeps_table cleanup
resume_keeps_table_head()
{
	atf_set descr "resume without a reload keeps the live table; an empty device stays empty"
}
resume_keeps_table_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	dm_pattern pat 4 13
	dd if=pat of="$DM_WORK/wd.img" bs=512 seek=2 conv=notrunc 2>/dev/null
	mkdev k "0 1024 linear $wd 2"
	atf_check dmctl suspend k
	atf_check dmctl resume k
	info_is k "" 1 32
	atf_check -o inline:"Getting device table for device k\n         0       1024 linear\n" dmctl table k
	dm_read k 0 4096 got || atf_fail "read after resume failed"
	atf_check cmp pat got
	atf_check dmctl create e
	atf_check dmctl resume e
	info_is e "" 0 0
	atf_check -o inline:"Getting device table for device e\n" dmctl table e
	atf_check -o inline:"Device e dependencies \n" dmctl deps e
}
resume_keeps_table_cleanup()
{
	dm_cleanup
}

atf_test_case reload_input cleanup
reload_input_head()
{
	atf_set descr "reload reads the table from a file or stdin; comments and blank lines skipped"
}
reload_input_body()
{
	dm_setup
	printf '# a comment\n\n0 64 zero\n\t\n64 64 error\n' >t
	atf_check dmctl create f
	atf_check dmctl reload f t
	atf_check -o inline:"0 64 zero\n64 64 error\n" dmctl -S table --inactive f
	atf_check dmctl create i
	atf_check -x "dmctl reload i <t"
	atf_check -o inline:"0 64 zero\n64 64 error\n" dmctl -S table --inactive i
	atf_check dmctl -S create c --table "0 64 zero;64 64 error"
	atf_check -o inline:"0 64 zero\n64 64 error\n" dmctl -S table c
	atf_check dmctl -S create s --notable
	atf_check -x "dmctl -S load s <t"
	atf_check -o inline:"0 64 zero\n64 64 error\n" dmctl -S table --inactive s
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: Cannot open table file: No such file or directory\n" dmctl reload f nonexistent
}
reload_input_cleanup()
{
	dm_cleanup
}

atf_test_case reload_refused cleanup
reload_refused_head()
{
	atf_set descr "a refused reload keeps the inactive and the active table"
}
reload_refused_body()
{
	dm_setup
	mkdev r "0 64 zero"
	echo "0 128 error" >next
	atf_check dmctl reload r next
	echo "0 128 nosuchtarget" >bad
	atf_check -s exit:1 -e match:"unknown target type" dmctl reload r bad
	info_is r "" 1 96
	atf_check -o inline:"0 128 error\n" dmctl -S table --inactive r
	atf_check -o inline:"0 64 zero\n" dmctl -S table r
	atf_check dmctl resume r
	atf_check -o inline:"0 128 error\n" dmctl -S table r
}
reload_refused_cleanup()
{
	dm_cleanup
}

atf_test_case clear cleanup
clear_head()
{
	atf_set descr "clear drops the inactive table only"
}
clear_body()
{
	dm_setup
	mkdev c "0 64 zero"
	atf_check dmctl -S clear c
	info_is c "" 1 32
	atf_check dmctl -S load c --table "0 128 error"
	info_is c "" 1 96
	atf_check dmctl -S clear c
	info_is c "" 1 32
	atf_check -o empty dmctl -S table --inactive c
	atf_check dmctl resume c
	atf_check -o inline:"0 64 zero\n" dmctl -S table c
}
clear_cleanup()
{
	dm_cleanup
}

atf_test_case table_format cleanup
table_format_head()
{
	atf_set descr "table and status: NetBSD's columns, widening for long numbers"
}
table_format_body()
{
	dm_setup
	mkdev w "0 12345678901 zero" "12345678901 8 error" "12345678909 1 zero"
	out="Getting device table for device w\n         0 12345678901 zero\n12345678901          8 error\n12345678909          1 zero\n"
	atf_check -o inline:"$out" dmctl table w
	atf_check -o inline:"$out" dmctl status w
	atf_check -o inline:"0 12345678901 zero\n12345678901 8 error\n12345678909 1 zero\n" dmctl -S table w
	[ "$(dm_size w)" = $((12345678910 * 512)) ] || atf_fail "dm_size: $(dm_size w)"
}
table_format_cleanup()
{
	dm_cleanup
}

atf_test_case table_filters cleanup
table_filters_head()
{
	atf_set descr "table/status --target and --inactive, ls --target, all devices"
}
table_filters_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev a "0 64 zero" "64 64 error" "128 64 zero"
	mkdev b "0 1024 delay $wd 2 1"
	atf_check -o inline:"0 64 zero\n128 64 zero\n" dmctl -S table --target zero a
	atf_check -o inline:"64 64 error\n" dmctl -S status --target error a
	atf_check -o empty dmctl -S table --target linear a
	atf_check -o inline:"a: 0 64 zero\na: 64 64 error\na: 128 64 zero\nb: 0 1024 delay 0 0\n" dmctl -S status
	atf_check -o match:"^a: 0 64 zero$" -o match:"^b: 0 1024 delay [0-9]+:[0-9]+ 2 1$" dmctl -S table
	atf_check -o inline:"b\t(169:$(dm_minor b))\n" dmctl -S ls --target delay
	atf_check -o inline:"No devices found\n" dmctl -S ls --target striped
	atf_check dmctl -S load a --table "0 8 error"
	atf_check -o inline:"0 8 error\n" dmctl -S table --inactive a
	atf_check -o inline:"0 8 error\n" dmctl -S status --inactive a
	atf_check -o inline:"Getting device table for device a\n         0         64 zero\n        64         64 error\n       128         64 zero\n" \
	    dmctl table a
}
table_filters_cleanup()
{
	dm_cleanup
}

atf_test_case deps_format cleanup
deps_format_head()
{
	atf_set descr "deps: each component once, the same in both formats"
}
deps_format_body()
{
	dm_setup
	a=$(dm_disk a 2)
	b=$(dm_disk b 2)
	mkdev d "0 1024 linear $a 2" "1024 1024 linear $b 2" "2048 1024 linear $a 2000" "3072 64 zero"
	atf_check -o save:deps dmctl deps d
	[ "$(wc -l <deps)" -eq 3 ] || atf_fail "expected the header and two components"
	atf_check -o inline:"Device d dependencies \n" head -1 deps
	atf_check -o match:"^major: [0-9]+ minor: [0-9]+$" tail -2 deps
	p=$(sed -n '2,3s/^major: \([0-9]*\) minor: \([0-9]*\)$/(\1, \2)/p' deps | tr '\n' ' ' | sed 's/ $//')
	atf_check -o inline:"2 dependencies\t: $p\n" dmctl -S deps d
	[ "$(sed -n 2p deps)" != "$(sed -n 3p deps)" ] || atf_fail "two components, one device number"
	mkdev z "0 64 zero"
	atf_check -o inline:"Device z dependencies \n" dmctl deps z
	atf_check -o inline:"0 dependencies\t:\n" dmctl -S deps z
}
deps_format_cleanup()
{
	dm_cleanup
}

atf_test_case message_errors cleanup
message_errors_head()
{
	atf_set descr "message: only flakey takes messages, on a sector of the device"
}
message_errors_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev m "0 1024 flakey $wd 2 3600 1" "1024 1024 delay $wd 2 1" "2048 512 zero"
	atf_check -o inline:"0 1024 flakey up\n1024 1024 delay 0 0\n2048 512 zero\n" dmctl -S status m
	atf_check -s exit:1 -e inline:"dmsetup: message m: EINVAL (Invalid argument): flakey: messages are 'up', 'down' and 'cycle'\n" \
	    dmctl -S message m 0 sideways
	atf_check -s exit:1 -e inline:"dmsetup: message m: EINVAL (Invalid argument): flakey: messages are 'up', 'down' and 'cycle'\n" \
	    dmctl -S message m 0 down now
	atf_check -s exit:1 -e inline:"dmsetup: message m: EINVAL (Invalid argument): target delay takes no messages\n" \
	    dmctl -S message m 1024 down
	atf_check -s exit:1 -e inline:"dmsetup: message m: EINVAL (Invalid argument): target zero takes no messages\n" \
	    dmctl -S message m 2559 down
	atf_check -s exit:1 -e inline:"dmsetup: message m: EINVAL (Invalid argument): sector 2560 is beyond the end of the device (2560 sectors)\n" \
	    dmctl -S message m 2560 down
	atf_check -s exit:2 -e match:"required arguments were not provided" dmctl -S message m 0
	atf_check -o inline:"0 1024 flakey up\n" dmctl -S status --target flakey m
	atf_check dmctl -S message m 1023 down
	atf_check -o inline:"0 1024 flakey down pinned\n" dmctl -S status --target flakey m
	atf_check dmctl -S message m 0 up
	atf_check -o inline:"0 1024 flakey up pinned\n" dmctl -S status --target flakey m
	atf_check dmctl -S message m 0 cycle
	atf_check -o inline:"0 1024 flakey up\n" dmctl -S status --target flakey m
}
message_errors_cleanup()
{
	dm_cleanup
}

atf_test_case setgeometry cleanup
setgeometry_head()
{
	atf_set descr "setgeometry takes cylinders, heads 1-255, sectors 1-255, start"
}
setgeometry_body()
{
	dm_setup
	mkdev g "0 1024 zero"
	atf_check -o empty -e empty dmctl -S setgeometry g 16 4 16 0
	atf_check -s exit:1 -e inline:"dmsetup: setgeometry g: EINVAL (Invalid argument): setgeometry: heads and sectors must be 1-255\n" \
	    dmctl -S setgeometry g 16 0 16 0
	atf_check -s exit:1 -e inline:"dmsetup: setgeometry g: EINVAL (Invalid argument): setgeometry: heads and sectors must be 1-255\n" \
	    dmctl -S setgeometry g 16 4 256 0
	atf_check -s exit:1 -e inline:"dmsetup: setgeometry g: EINVAL (Invalid argument): setgeometry: cylinders 'x' is not a decimal number\n" \
	    dmctl -S setgeometry g x 4 16 0
	atf_check -s exit:2 -e match:"required arguments were not provided" \
	    dmctl -S setgeometry g 16 4 16
	info_is g "" 1 32
}
setgeometry_cleanup()
{
	dm_cleanup
}

atf_test_case mknodes cleanup
mknodes_head()
{
	atf_set descr "mknodes checks one device or all"
}
mknodes_body()
{
	dm_setup
	atf_check -o empty -e empty dmctl -S mknodes
	atf_check dmctl create a
	atf_check dmctl -S create b --table "0 8 zero"
	atf_check -o empty -e empty dmctl -S mknodes
	atf_check -o empty -e empty dmctl -S mknodes b
	atf_check -s exit:1 -e inline:"dmsetup: mknodes c: ENOENT (No such file or directory): device 'c' does not exist\n" \
	    dmctl -S mknodes c
}
mknodes_cleanup()
{
	dm_cleanup
}

atf_test_case wait_next cleanup
wait_next_head()
{
	atf_set descr "wait without a number waits for the next event; a passed number returns at once"
}
wait_next_body()
{
	dm_setup
	mkdev w "0 64 zero"
	atf_check -o inline:"1\n" dmctl -S wait w 0
	dmctl -S wait w >woke 2>&1 &
	waiter=$!
	sleep 0.5
	[ -s woke ] && atf_fail "wait returned before the event: $(cat woke)"
	atf_check dmctl -S load w --table "0 128 zero"
	sleep 0.3
	[ -s woke ] && atf_fail "a load alone is no event: $(cat woke)"
	atf_check dmctl resume w
	wait "$waiter" || atf_fail "wait failed: $(cat woke)"
	atf_check -o inline:"2\n" cat woke
	atf_check -o match:"^Event number:      2$" dmctl -S info w
}
wait_next_cleanup()
{
	dm_cleanup
}

atf_test_case wait_removed cleanup
wait_removed_head()
{
	atf_set descr "a waiter on a removed device fails with ENOENT"
}
wait_removed_body()
{
	dm_setup
	mkdev w "0 64 zero"
	dmctl -S wait w 1 >out 2>err &
	waiter=$!
	sleep 0.5
	[ -s out ] && atf_fail "wait returned before the event"
	atf_check dmctl remove w
	wait "$waiter" && atf_fail "wait on a removed device succeeded"
	atf_check -o empty cat out
	atf_check -o inline:"dmsetup: wait w: ENOENT (No such file or directory): the device was removed\n" cat err
}
wait_removed_cleanup()
{
	dm_cleanup
}

atf_test_case remove_all_busy cleanup
remove_all_busy_head()
{
	atf_set descr "remove_all removes what it can and says EBUSY for the rest"
}
remove_all_busy_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev a "0 64 zero"
	mkdev b "0 1024 linear $wd 2"
	atf_check dmctl create c
	dm_hold b 2
	atf_check -o match:"^Open count:        1$" dmctl -S info b
	atf_check -s exit:1 -o empty \
	    -e inline:"dmsetup: remove_all: EBUSY (Device busy): 1 device(s) left: open or used by other devices\n" \
	    dmctl -S remove_all
	atf_check -o inline:"Device name: b, device minor: $(dm_minor b) \n" dmctl ls
	info_is b "" 1 32
	dm_release
	atf_check -o match:"^Open count:        0$" dmctl -S info b
	atf_check dmctl -S remove_all
	atf_check -o empty dmctl ls
}
remove_all_busy_cleanup()
{
	dm_cleanup
}

atf_test_case remove_force cleanup
remove_force_head()
{
	atf_set descr "remove -f of an open device swaps in error, still EBUSY"
}
remove_force_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev f "0 1024 linear $wd 2"
	dm_hold f 2
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: dmctl_dev_remove: libdm_task_run failed.: Device busy\ndmctl: device 'f' is open (1 opens) (EBUSY)\n" \
	    dmctl remove f
	info_is f "" 1 32
	atf_check -s exit:1 -e inline:"dmsetup: remove f: EBUSY (Device busy): device 'f' is open (1 opens)\n" \
	    dmctl -S remove -f f
	atf_check -o inline:"0 1024 error\n" dmctl -S table f
	atf_check -o match:"^Event number:      2$" dmctl -S info f
	dm_release
	dm_read f 0 4096 x && atf_fail "a read of the error table succeeded"
	atf_check dmctl -S remove -f f
	atf_check -o empty dmctl ls
	atf_check -s exit:1 -e match:"^dmsetup: remove g: ENOENT" dmctl -S remove g
}
remove_force_cleanup()
{
	dm_cleanup
}

atf_test_case remove_all_stacked cleanup
remove_all_stacked_head()
{
	atf_set descr "remove_all takes stacked devices top first; a used device is EBUSY"
}
remove_all_stacked_body()
{
	dm_setup
	wd=$(dm_disk wd 4)
	mkdev low "0 4096 linear $wd 2"
	lowdev=$(dm_blk low)
	mkdev top "0 2048 linear $lowdev 8"
	atf_check -o match:"^major: 169 minor: $(dm_minor low)$" dmctl deps top
	atf_check -s exit:1 -e match:"EBUSY" -e match:"dmctl_dev_remove: libdm_task_run failed.: Device busy" \
	    dmctl remove low
	atf_check dmctl rename low other
	atf_check -o match:"^major: 169 minor: $(dm_minor other)$" dmctl deps top
	atf_check dmctl -S remove_all
	atf_check -o empty dmctl ls
}
remove_all_stacked_cleanup()
{
	dm_cleanup
}

atf_test_case json_output cleanup
json_output_head()
{
	atf_set descr "--json: ls, info, table, status of all, deps: one document each"
}
json_output_body()
{
	dm_setup
	atf_check dmctl -S create j -u U1 --table "0 64 zero"
	m=$(dm_minor j)
	atf_check -o inline:"[\n\t{\n\t\t\"major\": 169,\n\t\t\"minor\": $m,\n\t\t\"name\": \"j\"\n\t}\n]\n" dmctl -S --json ls
	atf_check -o inline:"[\n\t{\n\t\t\"event_nr\": 1,\n\t\t\"major\": 169,\n\t\t\"minor\": $m,\n\t\t\"name\": \"j\",\n\t\t\"open_count\": 0,\n\t\t\"read_only\": false,\n\t\t\"state\": \"ACTIVE\",\n\t\t\"tables\": \"LIVE\",\n\t\t\"targets\": 1,\n\t\t\"uuid\": \"U1\"\n\t}\n]\n" \
	    dmctl -S --json info j
	atf_check -o inline:"{\n\t\"lines\": [\n\t\t{\n\t\t\t\"length\": 64,\n\t\t\t\"params\": \"\",\n\t\t\t\"start\": 0,\n\t\t\t\"type\": \"zero\"\n\t\t}\n\t]\n}\n" \
	    dmctl -S --json table j
	atf_check -o match:"\"name\": \"linear\"" -o match:"\"name\": \"flakey\"" dmctl -S --json targets
	atf_check dmctl -S create k --table "0 8 error"
	atf_check -o inline:"[\n\t{\n\t\t\"lines\": [\n\t\t\t{\n\t\t\t\t\"length\": 64,\n\t\t\t\t\"params\": \"\",\n\t\t\t\t\"start\": 0,\n\t\t\t\t\"type\": \"zero\"\n\t\t\t}\n\t\t],\n\t\t\"name\": \"j\"\n\t},\n\t{\n\t\t\"lines\": [\n\t\t\t{\n\t\t\t\t\"length\": 8,\n\t\t\t\t\"params\": \"\",\n\t\t\t\t\"start\": 0,\n\t\t\t\t\"type\": \"error\"\n\t\t\t}\n\t\t],\n\t\t\"name\": \"k\"\n\t}\n]\n" \
	    dmctl -S --json status
	wd=$(dm_disk wd 2)
	atf_check dmctl -S create l --table "0 8 linear $wd 2"
	atf_check -o match:"^\[$" -o match:"^[[:space:]]+\"major\": [0-9]+,$" -o match:"^[[:space:]]+\"minor\": [0-9]+$" \
	    dmctl -S --json deps l
}
json_output_cleanup()
{
	dm_cleanup
}

atf_test_case table_syntax cleanup
table_syntax_head()
{
	atf_set descr "malformed table lines are refused by dmctl with their line number"
}
table_syntax_body()
{
	dm_setup
	atf_check dmctl create t
	printf '0 64 zero\nx 64 zero\n' >a
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: dmctl_table_reload: Invalid argument\ndmctl: line 2: start 'x' is not a decimal number (EINVAL)\n" \
	    dmctl reload t a
	printf '# c\n0 -64 zero\n' >b
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: dmctl_table_reload: Invalid argument\ndmctl: line 2: length '-64' is not a decimal number (EINVAL)\n" \
	    dmctl reload t b
	echo "0 64" >c
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: dmctl_table_reload: Invalid argument\ndmctl: line 1: expected '<start> <length> <target> [<params>]' (EINVAL)\n" \
	    dmctl reload t c
	echo "0 99999999999999999999 zero" >d
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: dmctl_table_reload: Invalid argument\ndmctl: line 1: length '99999999999999999999' is out of range (EINVAL)\n" \
	    dmctl reload t d
	atf_check -s exit:1 -e inline:"dmsetup: line 1: start 'x' is not a decimal number\n" \
	    dmctl -S create y --table "x 8 zero"
	atf_check -s exit:1 -e match:"does not exist" dmctl info y
	info_is t "" 0 0
}
table_syntax_cleanup()
{
	dm_cleanup
}

atf_test_case create_rollback cleanup
create_rollback_head()
{
	atf_set descr "dmsetup create with a refused table leaves no device"
}
create_rollback_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	atf_check -s exit:1 -o empty \
	    -e inline:"dmsetup: load s: ENOENT (No such file or directory): line 1: cannot open component /nonexistent: no such file or directory\n" \
	    dmctl -S create s --table "0 2048 striped 2 8 $wd 2 /nonexistent 2"
	atf_check -s exit:1 -o empty \
	    -e inline:"dmsetup: load z: EINVAL (Invalid argument): line 1: length is 0\n" \
	    dmctl -S create z --table "0 0 zero"
	atf_check -s exit:1 -e match:"unknown target type 'nosuch'" \
	    dmctl -S create u -u UUID-U --table "0 8 nosuch"
	atf_check -o inline:"No devices found\n" dmctl -S ls
	atf_check dmctl -S create u2 -u UUID-U --table "0 8 zero"
	info_is u2 UUID-U 1 32
	atf_check dmctl -S create s --table "0 2048 striped 2 8 $wd 2 $wd 1100"
	atf_check -o match:"^s	\(169:[0-9]+\)$" dmctl -S ls
}
create_rollback_cleanup()
{
	dm_cleanup
}

atf_test_case dmsetup_usage
dmsetup_usage_head()
{
	atf_set descr "dmsetup-style usage errors exit 2"
}
dmsetup_usage_body()
{
	dm_setup
	atf_check -s exit:2 -o empty -e match:"unrecognized subcommand 'bogus'" dmctl -S bogus
	atf_check -s exit:2 -o empty -e match:"required arguments were not provided" dmctl -S create
	atf_check -s exit:2 -o empty -e match:"required arguments were not provided" dmctl -S remove
	atf_check -s exit:2 -o empty -e match:"invalid value 'x'" dmctl -S message a x up
	atf_check -s exit:1 -e inline:"dmctl: unknown command: setgeometry\n" dmctl setgeometry a
	atf_check -s exit:1 -e match:"^Insufficient number of arguments for command: reload specified$" \
	    dmctl reload a b c
	dm_cleanup
}

# ---- targets: where the bytes go -------------------------------------------

atf_test_case linear_two_disks cleanup
linear_two_disks_head()
{
	atf_set descr "two linear lines on two disks; a write across the boundary is split"
}
linear_two_disks_body()
{
	dm_setup
	a=$(dm_disk a 2)
	b=$(dm_disk b 2)
	mkdev l "0 100 linear $a 50" "100 200 linear $b 7"
	dm_pattern pat 64 21
	# 128 sectors from sector 36: 64 on a at 86, 64 on b at 7.
	dm_write l $((36 * 512)) pat || atf_fail "write through the dm device failed"
	dd if=pat of=p1 bs=512 count=64 2>/dev/null
	dd if=pat of=p2 bs=512 skip=64 count=64 2>/dev/null
	dm_comp_read "$a" $((86 * 512)) 32768 g1 || atf_fail "reading the component failed"
	dm_comp_read "$b" $((7 * 512)) 32768 g2 || atf_fail "reading the component failed"
	atf_check cmp p1 g1
	atf_check cmp p2 g2
	dm_comp_read "$a" 0 $((86 * 512)) z || atf_fail "reading the component failed"
	atf_check cmp -n $((86 * 512)) z /dev/zero
	dm_read l $((36 * 512)) 65536 back || atf_fail "read through the dm device failed"
	atf_check cmp pat back
	[ "$(dm_size l)" = $((300 * 512)) ] || atf_fail "size $(dm_size l)"
}
linear_two_disks_cleanup()
{
	dm_cleanup
}

atf_test_case device_end cleanup
device_end_head()
{
	atf_set descr "the last sector is there; nothing is past the end"
}
device_end_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev e "0 1000 linear $wd 2"
	dm_pattern pat 1 22
	dm_write e $((998 * 512)) pat || atf_fail "write of the last two sectors failed"
	dm_comp_read "$wd" $((1000 * 512)) 1024 got || atf_fail "reading the component failed"
	atf_check cmp pat got
	dm_read e $((999 * 512)) 1024 short
	atf_check -o inline:"512\n" sh -c "wc -c <short | tr -d ' '"
	dm_read e $((1000 * 512)) 512 none
	atf_check -o inline:"0\n" sh -c "wc -c <none | tr -d ' '"
	dm_write e $((1000 * 512)) pat && atf_fail "a write past the end succeeded"
	dm_comp_read "$wd" $((1002 * 512)) 1024 after || atf_fail "reading the component failed"
	atf_check cmp -n 1024 after /dev/zero
}
device_end_cleanup()
{
	dm_cleanup
}

atf_test_case zero_target cleanup
zero_target_head()
{
	atf_set descr "zero reads zeros and discards writes"
}
zero_target_body()
{
	dm_setup
	mkdev z "0 2048 zero"
	dm_pattern pat 64 23
	dm_write z 4096 pat || atf_fail "a write to zero failed"
	dm_read z 0 1048576 got || atf_fail "a read of zero failed"
	atf_check -o inline:"1048576\n" sh -c "wc -c <got | tr -d ' '"
	atf_check cmp -n 1048576 got /dev/zero
	atf_check -o inline:"Device z dependencies \n" dmctl deps z
}
zero_target_cleanup()
{
	dm_cleanup
}

atf_test_case error_target cleanup
error_target_head()
{
	atf_set descr "error fails reads and writes; the lines around it work"
}
error_target_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev e "0 64 linear $wd 2" "64 64 error" "128 64 linear $wd 66"
	dm_pattern pat 4 24
	dm_write e $((64 * 512)) pat && atf_fail "a write to error succeeded"
	dm_write e $((124 * 512)) pat && atf_fail "a write across error succeeded"
	dm_read e $((100 * 512)) 4096 x && atf_fail "a read of error succeeded"
	dm_read e $((60 * 512)) 4096 x && atf_fail "a read across error succeeded"
	dm_comp_read "$wd" 0 $((66 * 512)) all || atf_fail "reading the component failed"
	atf_check cmp -n $((66 * 512)) all /dev/zero
	dm_write e $((128 * 512)) pat || atf_fail "a write after error failed"
	dm_comp_read "$wd" $((66 * 512)) 4096 got || atf_fail "reading the component failed"
	atf_check cmp pat got
	dm_write e 0 pat || atf_fail "a write before error failed"
	dm_read e 0 4096 back || atf_fail "a read before error failed"
	atf_check cmp pat back
}
error_target_cleanup()
{
	dm_cleanup
}

atf_test_case striped_read cleanup
striped_read_head()
{
	atf_set descr "three stripes at their own offsets read back in chunk order"
}
striped_read_body()
{
	dm_setup
	a=$(dm_disk a 2)
	b=$(dm_disk b 2)
	c=$(dm_disk c 2)
	mkdev s "0 96 striped 3 8 $a 2 $b 10 $c 100"
	dm_pattern pat 48 25
	# Chunk k (8 sectors) lives on stripe k mod 3 at chunk k/3.
	k=0
	while [ $k -lt 12 ]; do
		dd if=pat of=chunk bs=4096 skip=$k count=1 2>/dev/null
		stripe=$((k % 3))
		row=$((k / 3))
		case $stripe in
		0) img=a off=2 ;;
		1) img=b off=10 ;;
		*) img=c off=100 ;;
		esac
		dd if=chunk of="$DM_WORK/$img.img" bs=512 seek=$((off + row * 8)) \
		    conv=notrunc 2>/dev/null
		k=$((k + 1))
	done
	dm_read s 0 49152 got || atf_fail "read through the dm device failed"
	atf_check cmp pat got
	atf_check -o match:"^0 96 striped 3 8 [0-9]+:[0-9]+ 2 [0-9]+:[0-9]+ 10 [0-9]+:[0-9]+ 100$" dmctl -S table s
	atf_check -o match:"^0 96 striped 3 [0-9]+:[0-9]+ [0-9]+:[0-9]+ [0-9]+:[0-9]+ 1 AAA$" dmctl -S status s
	atf_check -o match:"^3 dependencies" dmctl -S deps s
	[ "$(dm_size s)" = 49152 ] || atf_fail "size $(dm_size s)"
}
striped_read_cleanup()
{
	dm_cleanup
}

atf_test_case striped_errors cleanup
striped_errors_head()
{
	atf_set descr "striped: stripe count, chunk and length rules, each EINVAL"
}
striped_errors_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	atf_check dmctl create s
	pre="dmctl: libdm_task_run: from dmctl_table_reload failed.: Invalid argument\ndmctl: line 1: striped: "
	echo "0 1024 striped 2 8 $wd 2" >t
	atf_check -s exit:1 -e inline:"${pre}2 stripes need 4 device/offset arguments, got 2 (EINVAL)\n" dmctl reload s t
	echo "0 1024 striped 3 8 $wd 2 $wd 1000 $wd 2000" >t
	atf_check -s exit:1 -e inline:"${pre}length 1024 is not divisible by the stripe count 3 (EINVAL)\n" dmctl reload s t
	echo "0 1024 striped 2 7 $wd 2 $wd 1000" >t
	atf_check -s exit:1 -e inline:"${pre}length per stripe 512 is not divisible by the chunk size 7 (EINVAL)\n" dmctl reload s t
	echo "0 1024 striped 0 8" >t
	atf_check -s exit:1 -e inline:"${pre}stripe count 0 must be between 1 and 256 (EINVAL)\n" dmctl reload s t
	echo "0 1024 striped 257 8" >t
	atf_check -s exit:1 -e inline:"${pre}stripe count 257 must be between 1 and 256 (EINVAL)\n" dmctl reload s t
	echo "0 1024 striped 2 8 $wd 2 $wd 3700" >t
	atf_check -s exit:1 -e match:"has 4096 sectors, too small" dmctl reload s t
	echo "0 1024 striped 2 8 $wd 2 $wd 1" >t
	atf_check -s exit:1 -e match:"disklabel" dmctl reload s t
	info_is s "" 0 0
}
striped_errors_cleanup()
{
	dm_cleanup
}

atf_test_case delay_write_device cleanup
delay_write_device_head()
{
	atf_set descr "delay with six parameters: writes go to their own device"
}
delay_write_device_body()
{
	dm_setup
	r=$(dm_disk r 2)
	w=$(dm_disk w 2)
	dm_pattern rpat 4 26
	dd if=rpat of="$DM_WORK/r.img" bs=512 seek=10 conv=notrunc 2>/dev/null
	mkdev d "0 1024 delay $r 10 1 $w 100 200"
	atf_check -o match:"^0 1024 delay [0-9]+:[0-9]+ 10 1 [0-9]+:[0-9]+ 100 200$" dmctl -S table d
	atf_check -o inline:"0 1024 delay 0 0\n" dmctl -S status d
	atf_check -o match:"^Device d dependencies $" -o match:"^major: [0-9]+ minor: [0-9]+$" dmctl deps d
	atf_check -o match:"^2 dependencies" dmctl -S deps d
	dm_pattern wpat 4 27
	start=$(date +%s%N)
	dm_write d 0 wpat || atf_fail "write through delay failed"
	end=$(date +%s%N)
	[ $(((end - start) / 1000000)) -ge 200 ] || atf_fail "the write took less than 200 ms"
	dm_comp_read "$w" $((100 * 512)) 4096 got || atf_fail "reading the component failed"
	atf_check cmp wpat got
	dm_comp_read "$r" $((10 * 512)) 4096 still || atf_fail "reading the component failed"
	atf_check cmp rpat still
	dm_read d 0 4096 back || atf_fail "read through delay failed"
	atf_check cmp rpat back
}
delay_write_device_cleanup()
{
	dm_cleanup
}

atf_test_case delay_errors cleanup
delay_errors_head()
{
	atf_set descr "delay: parameter count, numbers and the 3600000 ms limit"
}
delay_errors_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	atf_check dmctl create d
	pre="dmctl: libdm_task_run: from dmctl_table_reload failed.: Invalid argument\ndmctl: line 1: delay: "
	echo "0 1024 delay $wd 2" >t
	atf_check -s exit:1 -e inline:"${pre}expected parameters '<device> <offset> <ms> [<write device> <write offset> <write ms>]', got 2 argument(s) (EINVAL)\n" \
	    dmctl reload d t
	echo "0 1024 delay $wd 2 1 $wd" >t
	atf_check -s exit:1 -e inline:"${pre}expected parameters '<device> <offset> <ms> [<write device> <write offset> <write ms>]', got 4 argument(s) (EINVAL)\n" \
	    dmctl reload d t
	echo "0 1024 delay $wd 2 3600001" >t
	atf_check -s exit:1 -e inline:"${pre}3600001 ms is longer than the limit of 3600000 ms (EINVAL)\n" dmctl reload d t
	echo "0 1024 delay $wd 2 x" >t
	atf_check -s exit:1 -e inline:"${pre}milliseconds 'x' is not a decimal number (EINVAL)\n" dmctl reload d t
	echo "0 1024 delay $wd 2 3600000" >t
	atf_check dmctl reload d t
	info_is d "" 0 64
}
delay_errors_cleanup()
{
	dm_cleanup
}

atf_test_case flakey_write_features cleanup
flakey_write_features_head()
{
	atf_set descr "flakey while down: drop_writes, error_writes, and no feature"
}
flakey_write_features_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	dm_pattern old 4 31
	dd if=old of="$DM_WORK/wd.img" bs=512 seek=2 conv=notrunc 2>/dev/null
	dm_pattern new 4 32
	mkdev d "0 1024 flakey $wd 2 0 3600 1 drop_writes"
	atf_check -o inline:"0 1024 flakey down\n" dmctl -S status d
	atf_check -o match:"^0 1024 flakey [0-9]+:[0-9]+ 2 0 3600 1 drop_writes$" dmctl -S table d
	dm_write d 0 new || atf_fail "a dropped write failed"
	dm_read d 0 4096 got || atf_fail "a read failed under drop_writes"
	atf_check cmp old got
	atf_check dmctl remove d
	mkdev e "0 1024 flakey $wd 2 0 3600 1 error_writes"
	dm_write e 0 new && atf_fail "a write succeeded under error_writes"
	dm_read e 0 4096 got || atf_fail "a read failed under error_writes"
	atf_check cmp old got
	atf_check dmctl remove e
	mkdev n "0 1024 flakey $wd 2 0 3600"
	dm_write n 0 new && atf_fail "a write succeeded while down"
	dm_read n 0 4096 got && atf_fail "a read succeeded while down"
	dm_comp_read "$wd" 1024 4096 comp || atf_fail "reading the component failed"
	atf_check cmp old comp
	atf_check dmctl -S message n 0 up
	dm_write n 0 new || atf_fail "a write failed while pinned up"
	dm_comp_read "$wd" 1024 4096 comp || atf_fail "reading the component failed"
	atf_check cmp new comp
}
flakey_write_features_cleanup()
{
	dm_cleanup
}

atf_test_case flakey_error_reads cleanup
flakey_error_reads_head()
{
	atf_set descr "flakey error_reads fails reads and lets writes through"
}
flakey_error_reads_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev r "0 1024 flakey $wd 2 0 3600 1 error_reads"
	dm_pattern new 4 33
	dm_read r 0 4096 got && atf_fail "a read succeeded under error_reads"
	dm_write r 0 new || atf_fail "a write failed under error_reads"
	dm_comp_read "$wd" 1024 4096 comp || atf_fail "reading the component failed"
	atf_check cmp new comp
	atf_check dmctl -S message r 0 up
	dm_read r 0 4096 got || atf_fail "a read failed while pinned up"
	atf_check cmp new got
}
flakey_error_reads_cleanup()
{
	dm_cleanup
}

atf_test_case flakey_corrupt cleanup
flakey_corrupt_head()
{
	atf_set descr "flakey corrupt_bio_byte changes the nth byte of each read or write"
}
flakey_corrupt_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev r "0 1024 flakey $wd 2 0 3600 5 corrupt_bio_byte 1 r 7 0"
	atf_check -o match:"^0 1024 flakey [0-9]+:[0-9]+ 2 0 3600 5 corrupt_bio_byte 1 r 7 0$" dmctl -S table r
	dm_read r 0 512 got || atf_fail "read failed"
	atf_check -o inline:"0000000 007 000 000 000\n0000004\n" od -A o -t o1 -N 4 got
	dm_read r 512 512 got || atf_fail "read failed"
	atf_check -o inline:"0000000 007 000 000 000\n0000004\n" od -A o -t o1 -N 4 got
	dm_comp_read "$wd" 0 4096 comp || atf_fail "reading the component failed"
	atf_check cmp -n 4096 comp /dev/zero
	atf_check dmctl remove r
	mkdev w "0 1024 flakey $wd 2 0 3600 5 corrupt_bio_byte 3 w 1 0"
	printf 'abcdefgh%504s' "" >sec
	dm_write w 0 sec || atf_fail "write failed"
	dm_comp_read "$wd" 1024 512 comp || atf_fail "reading the component failed"
	atf_check -o inline:"ab\001defgh" dd if=comp bs=1 count=8 status=none
	dm_read w 0 512 back || atf_fail "read failed"
	atf_check cmp comp back
}
flakey_corrupt_cleanup()
{
	dm_cleanup
}

atf_test_case flakey_errors cleanup
flakey_errors_head()
{
	atf_set descr "flakey: bad intervals and features are EINVAL with a reason"
}
flakey_errors_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	atf_check dmctl create f
	pre="dmctl: libdm_task_run: from dmctl_table_reload failed.: Invalid argument\ndmctl: line 1: flakey: "
	while IFS='|' read -r params why; do
		echo "0 1024 flakey $wd 2 $params" >t
		atf_check -s exit:1 -o empty -e inline:"$pre$why (EINVAL)\n" dmctl reload f t
	done <<-EOT
	1|expected '<device> <offset> <up secs> <down secs> [<#feature words> <feature>...]'
	0 0|up + down interval must be non-zero and fit in 32 bits
	x 1|up interval 'x' is not a decimal number
	4294967296 1|up interval '4294967296' is out of range
	1 1 1|feature word count is 1 but 0 word(s) follow
	1 1 1 bogus|unknown feature 'bogus'
	1 1 2 drop_writes|feature word count is 2 but 1 word(s) follow
	1 1 2 drop_writes error_writes|drop_writes and error_writes exclude each other
	1 1 4 corrupt_bio_byte 1 r 7|corrupt_bio_byte needs <nth byte> <r|w> <value> <flags>
	1 1 5 corrupt_bio_byte 0 r 7 0|corrupt_bio_byte counts bytes from 1
	1 1 5 corrupt_bio_byte 1 x 7 0|corrupt_bio_byte direction must be r or w
	1 1 5 corrupt_bio_byte 1 r 256 0|corrupt_bio_byte value must be 0-255
	1 1 6 drop_writes corrupt_bio_byte 1 w 1 0|corrupt_bio_byte w cannot be combined with drop_writes or error_writes
	EOT
	info_is f "" 0 0
	echo "0 1024 flakey $wd 2 1 1 0" >t
	atf_check dmctl reload f t
}
flakey_errors_cleanup()
{
	dm_cleanup
}

atf_test_case table_errors cleanup
table_errors_head()
{
	atf_set descr "bad tables: each refused with its errno and line, nothing changed"
}
table_errors_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev t "0 64 zero"
	einval="dmctl: libdm_task_run: from dmctl_table_reload failed.: Invalid argument\ndmctl: "
	while IFS='|' read -r table why; do
		echo "$table" | tr ';' '\n' >bad
		atf_check -s exit:1 -o empty -e inline:"$einval$why (EINVAL)\n" dmctl reload t bad
		info_is t "" 1 32
	done <<-EOT
	0 1024 nosuchtarget x|line 1: unknown target type 'nosuchtarget'
	0 1024 thisnameistoolongfortarget|line 1: target name is too long
	0 512 zero;1024 512 zero|line 2: starts at sector 1024, but the previous line ends at 512 (gap)
	0 1024 zero;512 512 zero|line 2: starts at sector 512, but the previous line ends at 1024 (overlap)
	8 8 zero|line 1: starts at sector 8, but the previous line ends at 0 (gap)
	0 64 zero;64 0 error|line 2: length is 0
	0 18446744073709551615 zero|line 1: the device would exceed 18014398509481983 sectors
	0 1024 linear $wd|line 1: linear: expected parameters '<device> <offset>', got 1 argument(s)
	0 1024 linear $wd 2 3|line 1: linear: expected parameters '<device> <offset>', got 3 argument(s)
	0 1024 linear $wd 12x|line 1: linear: offset '12x' is not a decimal number
	0 4095 linear $wd 2|line 1: linear: $wd has 4096 sectors, too small for 4095 sectors at offset 2
	0 8 linear $wd 18446744073709551615|line 1: linear: $wd has 4096 sectors, too small for 8 sectors at offset 18446744073709551615
	EOT
	: >empty
	atf_check -s exit:1 -o empty -e inline:"${einval}the table has no lines (EINVAL)\n" dmctl reload t empty
	echo "0 8 abcdefghijklmnop" >bad
	atf_check -s exit:1 -o empty -e inline:"${einval}line 1: target name is too long (EINVAL)\n" dmctl reload t bad
	echo "0 8 abcdefghijklmno" >bad
	atf_check -s exit:1 -o empty -e inline:"${einval}line 1: unknown target type 'abcdefghijklmno' (EINVAL)\n" dmctl reload t bad
	echo "0 8 zero $(printf '%04097d' 0)" >bad
	atf_check -s exit:1 -o empty -e inline:"${einval}line 1: parameters longer than 4096 bytes (EINVAL)\n" dmctl reload t bad
	info_is t "" 1 32
	echo "0 8 zero $(printf '%04096d' 0)" >fits
	atf_check dmctl reload t fits
	atf_check dmctl -S clear t
	echo "0 1024 linear /nonexistent 2" >bad
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: libdm_task_run: from dmctl_table_reload failed.: No such file or directory\ndmctl: line 1: cannot open component /nonexistent: no such file or directory (ENOENT)\n" \
	    dmctl reload t bad
	info_is t "" 1 32
	echo "0 4094 linear $wd 2" >good
	atf_check dmctl reload t good
}
table_errors_cleanup()
{
	dm_cleanup
}

atf_test_case readonly cleanup
readonly_head()
{
	atf_set descr "a read-only device reads and refuses writes"
}
readonly_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	dm_pattern old 4 34
	dd if=old of="$DM_WORK/wd.img" bs=512 seek=2 conv=notrunc 2>/dev/null
	atf_check dmctl -S create ro -r --table "0 1024 linear $wd 2"
	info_is ro "" 1 33
	atf_check -o match:"^State:             ACTIVE \(READ-ONLY\)$" dmctl -S info ro
	atf_check -o match:"^ro +169 +[0-9]+ L-r- " dmctl -S info -c ro
	atf_check -o match:"\"read_only\": true" dmctl -S --json info ro
	dm_pattern new 4 35
	dm_write ro 0 new && atf_fail "a write to a read-only device succeeded"
	dm_comp_read "$wd" 1024 4096 comp || atf_fail "reading the component failed"
	atf_check cmp old comp
	dm_read ro 0 4096 got || atf_fail "a read of a read-only device failed"
	atf_check cmp old got
	atf_check dmctl -S load ro -r --table "0 1024 zero"
	info_is ro "" 1 97
	atf_check dmctl resume ro
	info_is ro "" 1 33
	dm_write ro 0 new && atf_fail "a write to a read-only device succeeded"
	atf_check dmctl -S create rw --table "0 1024 linear $wd 2"
	atf_check -o match:"^State:             ACTIVE$" dmctl -S info rw
	dm_write rw 0 new || atf_fail "a write to a writable device failed"
}
readonly_cleanup()
{
	dm_cleanup
}

# ---- the disk ------------------------------------------------------------------

atf_test_case disk_size cleanup
disk_size_head()
{
	atf_set descr "the disk's media size is the table's end, and follows a resume"
}
disk_size_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev m "0 1000 linear $wd 2" "1000 24 zero"
	[ "$(dm_size m)" = $((1024 * 512)) ] || atf_fail "size $(dm_size m), expected $((1024 * 512))"
	atf_check dmctl -S load m --table "0 3000 linear $wd 2;3000 5 error"
	[ "$(dm_size m)" = $((1024 * 512)) ] || atf_fail "a load changed the size"
	atf_check dmctl resume m
	[ "$(dm_size m)" = $((3005 * 512)) ] || atf_fail "size $(dm_size m), expected $((3005 * 512))"
	mkdev s "0 96 striped 2 8 $wd 2 $wd 100"
	[ "$(dm_size s)" = $((96 * 512)) ] || atf_fail "striped size $(dm_size s)"
}
disk_size_cleanup()
{
	dm_cleanup
}

atf_test_case disk_sync cleanup
disk_sync_head()
{
	atf_set descr "a cache flush reaches every component and succeeds"
}
disk_sync_body()
{
	dm_setup
	a=$(dm_disk a 2)
	b=$(dm_disk b 2)
	mkdev s "0 2048 striped 2 8 $a 2 $b 2"
	mkdev z "0 64 zero" "64 64 error"
	dm_pattern pat 16 36
	dm_write s 0 pat || atf_fail "write through the dm device failed"
	dm_sync s || atf_fail "flushing the striped device failed"
	dm_sync z || atf_fail "flushing a device without components failed"
	dd if=pat of=c0 bs=512 count=8 2>/dev/null
	dm_comp_read "$b" $((10 * 512)) 4096 g || atf_fail "reading the component failed"
	dd if=pat of=c3 bs=512 skip=24 count=8 2>/dev/null
	atf_check cmp c3 g
	atf_check dmctl suspend s
	atf_check dmctl resume s
	dm_sync s || atf_fail "flushing after resume failed"
}
disk_sync_cleanup()
{
	dm_cleanup
}

# ---- stacking, suspend and more rules ---------------------------------------

atf_test_case label_area_targets cleanup
label_area_targets_head()
{
	atf_set descr "no target reaches into a component's label area; dm components are exempt"
}
label_area_targets_body()
{
	dm_setup
	a=$(dm_disk a 2)
	b=$(dm_disk b 2)
	atf_check dmctl create t
	why="overlaps the boot block and disklabel of its disk (sectors 0-1); start at 2 or later (EINVAL)"
	pre="dmctl: libdm_task_run: from dmctl_table_reload failed.: Invalid argument\ndmctl: line 1: "
	echo "0 8 delay $a 1 0" >t1
	atf_check -s exit:1 -o empty -e inline:"${pre}delay: offset 1 on $a $why\n" dmctl reload t t1
	echo "0 8 delay $a 2 0 $b 1 0" >t2
	atf_check -s exit:1 -o empty -e inline:"${pre}delay: offset 1 on $b $why\n" dmctl reload t t2
	echo "0 8 flakey $a 0 1 1" >t3
	atf_check -s exit:1 -o empty -e inline:"${pre}flakey: offset 0 on $a $why\n" dmctl reload t t3
	echo "0 16 striped 2 8 $a 2 $b 1" >t4
	atf_check -s exit:1 -o empty -e inline:"${pre}striped: offset 1 on $b $why\n" dmctl reload t t4
	info_is t "" 0 0
	mkdev low "0 1024 linear $a 2"
	lowdev=$(dm_blk low)
	echo "0 512 linear $lowdev 0" >t5
	atf_check dmctl reload t t5
	atf_check dmctl resume t
	dm_pattern pat 4 41
	dm_write t 0 pat || atf_fail "write through the stacked device failed"
	dm_comp_read "$a" 1024 4096 got || atf_fail "reading the component failed"
	atf_check cmp pat got
}
label_area_targets_cleanup()
{
	dm_cleanup
}

atf_test_case stacking_loops cleanup
stacking_loops_head()
{
	atf_set descr "a device cannot map onto itself, directly or through others"
}
stacking_loops_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev low "0 1024 linear $wd 2"
	lowdev=$(dm_blk low)
	mkdev top "0 512 linear $lowdev 0"
	topdev=$(dm_blk top)
	echo "0 1024 linear $lowdev 0" >self
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: libdm_task_run: from dmctl_table_reload failed.: Invalid argument\ndmctl: the table maps the device onto itself ($lowdev) (EINVAL)\n" \
	    dmctl reload low self
	echo "0 256 linear $topdev 0" >loop
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: libdm_task_run: from dmctl_table_reload failed.: Invalid argument\ndmctl: $topdev is a dm device stacked on this one: the table would make a loop (EINVAL)\n" \
	    dmctl reload low loop
	info_is low "" 1 32
	atf_check -o inline:"Device top dependencies \nmajor: 169 minor: $(dm_minor low)\n" dmctl deps top
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: dmctl_dev_remove: libdm_task_run failed.: Device busy\ndmctl: device 'low' is open (1 opens) (EBUSY)\n" \
	    dmctl remove low
	atf_check dmctl remove top
	atf_check dmctl remove low
}
stacking_loops_cleanup()
{
	dm_cleanup
}

atf_test_case suspend_drains cleanup
suspend_drains_head()
{
	atf_set descr "suspend waits for the I/O in flight; delay's status counts it"
}
suspend_drains_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	dm_pattern pat 4 42
	dd if=pat of="$DM_WORK/wd.img" bs=512 seek=2 conv=notrunc 2>/dev/null
	mkdev d "0 1024 delay $wd 2 1500"
	atf_check -o inline:"0 1024 delay 0 0\n" dmctl -S status d
	# One sector: one request.
	(dm_read d 0 512 got && echo ok >read.done) &
	reader=$!
	i=0
	until dmctl -S status d | grep -qx "0 1024 delay 1 0"; do
		i=$((i + 1))
		[ $i -lt 100 ] || atf_fail "the read never showed in the status"
		sleep 0.02
	done
	start=$(date +%s%N)
	atf_check dmctl suspend d
	end=$(date +%s%N)
	atf_check -o inline:"0 1024 delay 0 0\n" dmctl -S status d
	# The read was seen in flight at most ~100 ms after it began.
	[ $(((end - start) / 1000000)) -ge 1000 ] ||
	    atf_fail "suspend took $(((end - start) / 1000000)) ms with a 1500 ms read in flight"
	info_is d "" 1 34
	# The reader may send more requests: they wait for the resume.
	atf_check dmctl resume d
	wait "$reader"
	[ -f read.done ] || atf_fail "the read failed"
	atf_check cmp -n 512 pat got
}
suspend_drains_cleanup()
{
	dm_cleanup
}

atf_test_case usage_block
usage_block_head()
{
	atf_set descr "NetBSD dmctl's usage block, byte for byte"
}
usage_block_body()
{
	dm_setup
	u="usage: dmctl command [dm device name]\nAvailable commands are:\n"
	u="$u \tversion\tPrint driver and lib version.\n"
	u="$u\ttargets\tList available kernel targets.\n"
	u="$u\tcreate\tCreate device with [dm device name].\n"
	u="$u\tls\tList existing dm devices.\n"
	u="$u\tinfo\tGet info about device with [dm device name].\n"
	u="$u\trename\tRename device with [dm device name] to  [dm device new name].\n"
	u="$u\tremove\tRemove device with [dm device name].\n"
	u="$u\tresume\tResume IO on dm device [dm device name].\n"
	u="$u\tsuspend\tSuspend IO on dm device [dm device name].\n"
	u="$u\tdeps\tPrint physical dependencies for dm device [dm device name].\n"
	u="$u\treload\tSwitch active and passive tables for device with [dm device name].\n"
	u="$u\tstatus\tPrint status for device with [dm device name].\n"
	u="$u\ttable\tPrint active table for device with [dm device name].\n"
	atf_check -s exit:1 -o empty -e inline:"$u" dmctl
	for args in "create" "ls extra" "version extra" "info t0 extra" "rename t0"; do
		verb=${args%% *}
		# shellcheck disable=SC2086 # the operands are split on purpose
		atf_check -s exit:1 -o empty \
		    -e inline:"Insufficient number of arguments for command: $verb specified\n$u" \
		    dmctl $args
	done
	atf_check -s exit:1 -o empty -e inline:"dmctl: unknown command: bogus\n" dmctl bogus
	dm_cleanup
}

atf_test_case no_driver
no_driver_head()
{
	atf_set descr "without a control node every verb fails in NetBSD's words"
}
no_driver_body()
{
	dm_setup
	nc="$DM_WORK/nonexistent"
	ctl=$(dm_dmctl)
	nf="No such file or directory"
	why=": cannot reach the driver: "
	atf_check -s exit:1 -o inline:"Library protocol version 4:0:0\n" \
	    -e match:"^dmctl: dmctl_get_version: libdm_task_run failed.: $nf$" \
	    -e match:"^dmctl$why.*\(ENOENT\)$" "$ctl" --control "$nc" version
	atf_check -s exit:1 -o empty -e match:"^dmctl: dmctl_get_targets: libdm_task_run failed.: $nf$" \
	    "$ctl" --control "$nc" targets
	atf_check -s exit:1 -o empty -e match:"^dmctl: dmctl_list_devices: libdm_task_run failed.: $nf$" \
	    "$ctl" --control "$nc" ls
	atf_check -s exit:1 -o empty -e match:"^dmctl: dmctl_create_dev: libdm_task_run failed.: $nf$" \
	    "$ctl" --control "$nc" create x
	atf_check -s exit:1 -o empty -e match:"^dmctl: dmctl_get_device_info: libdm_task_run failed: $nf$" \
	    "$ctl" --control "$nc" info x
	atf_check -s exit:1 -o empty -e match:"^dmctl: libdm_task_run: $nf$" "$ctl" --control "$nc" table x
	atf_check -s exit:1 -o empty -e match:"^dmctl: libdm_task_run: $nf$" "$ctl" --control "$nc" status x
	atf_check -s exit:1 -o empty -e match:"^dmctl: dmctl_dev_deps: libdm_task_run failed.: $nf$" \
	    "$ctl" --control "$nc" deps x
	atf_check -s exit:1 -o empty -e match:"^dmctl: dmctl_dev_rename: libdm_task_run failed.: $nf$" \
	    "$ctl" --control "$nc" rename x y
	atf_check -s exit:1 -o empty -e match:"^dmctl: dmctl_dev_remove: libdm_task_run failed.: $nf$" \
	    "$ctl" --control "$nc" remove x
	atf_check -s exit:1 -o empty -e match:"^dmctl: dmctl_dev_resume: libdm_task_run failed.: $nf$" \
	    "$ctl" --control "$nc" resume x
	atf_check -s exit:1 -o empty -e match:"^dmctl: dmctl_dev_suspend: libdm_task_run failed.: $nf$" \
	    "$ctl" --control "$nc" suspend x
	echo "0 8 zero" >t
	atf_check -s exit:1 -o empty -e match:"^dmctl: libdm_task_run: from dmctl_table_reload failed.: $nf$" \
	    "$ctl" --control "$nc" reload x t
	atf_check -s exit:1 -o empty -e match:"^dmsetup: ls: ENOENT \($nf\): cannot reach the driver" \
	    "$ctl" --control "$nc" -S ls
	atf_check -o empty dmctl ls
	dm_cleanup
}

atf_test_case stacked_disk cleanup
stacked_disk_head()
{
	atf_set descr "a dm component's size comes from its disk ioctls; a flush goes down"
}
stacked_disk_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev low "0 1024 linear $wd 2"
	lowdev=$(dm_blk low)
	atf_check dmctl create top
	echo "0 1025 linear $lowdev 0" >big
	atf_check -s exit:1 -o empty \
	    -e inline:"dmctl: libdm_task_run: from dmctl_table_reload failed.: Invalid argument\ndmctl: line 1: linear: $lowdev has 1024 sectors, too small for 1025 sectors at offset 0 (EINVAL)\n" \
	    dmctl reload top big
	echo "0 1000 linear $lowdev 24" >fits
	atf_check dmctl reload top fits
	atf_check dmctl resume top
	[ "$(dm_size top)" = $((1000 * 512)) ] || atf_fail "size $(dm_size top)"
	dm_pattern pat 8 43
	# top 984-999 is low 1008-1023 is wd 1010-1025.
	dm_write top $((984 * 512)) pat || atf_fail "write through the stacked device failed"
	dm_sync top || atf_fail "flushing the stacked device failed"
	dm_comp_read "$wd" $((1010 * 512)) 8192 got || atf_fail "reading the component failed"
	atf_check cmp pat got
	dm_read low $((1008 * 512)) 8192 mid || atf_fail "reading the lower device failed"
	atf_check cmp pat mid
}
stacked_disk_cleanup()
{
	dm_cleanup
}

atf_test_case readonly_table cleanup
readonly_table_head()
{
	atf_set descr "a table loaded read-only makes the device read-only while it is live"
}
readonly_table_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev t "0 1024 linear $wd 2"
	dm_pattern one 4 51
	dm_write t 0 one || atf_fail "a write to a writable device failed"
	atf_check dmctl -S load t -r --table "0 1024 linear $wd 2"
	info_is t "" 1 96
	atf_check dmctl resume t
	info_is t "" 1 33
	atf_check -o match:"^State:             ACTIVE \(READ-ONLY\)$" dmctl -S info t
	dm_pattern two 4 52
	dm_write t 0 two && atf_fail "a write through a read-only table succeeded"
	dm_comp_read "$wd" 1024 4096 comp || atf_fail "reading the component failed"
	atf_check cmp one comp
	dm_read t 0 4096 got || atf_fail "a read through a read-only table failed"
	atf_check cmp one got
	atf_check dmctl -S load t --table "0 1024 linear $wd 2"
	atf_check dmctl resume t
	info_is t "" 1 32
	dm_write t 0 two || atf_fail "a write after a writable table came back failed"
	dm_comp_read "$wd" 1024 4096 comp || atf_fail "reading the component failed"
	atf_check cmp two comp
}
readonly_table_cleanup()
{
	dm_cleanup
}

atf_test_case flakey_cycle cleanup
flakey_cycle_head()
{
	atf_set descr "flakey goes down after its up seconds, until pinned or cycled"
}
flakey_cycle_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev c "0 1024 flakey $wd 2 1 5"
	atf_check -o inline:"0 1024 flakey up\n" dmctl -S status c
	dm_read c 0 512 x || atf_fail "a read failed while up"
	i=0
	until dmctl -S status c | grep -qx "0 1024 flakey down"; do
		i=$((i + 1))
		[ $i -lt 100 ] || atf_fail "flakey never went down"
		sleep 0.05
	done
	dm_read c 0 512 x && atf_fail "a read succeeded while down"
	atf_check dmctl -S message c 0 up
	atf_check -o inline:"0 1024 flakey up pinned\n" dmctl -S status c
	dm_read c 0 512 x || atf_fail "a read failed while pinned up"
	atf_check dmctl -S message c 0 cycle
	atf_check -o inline:"0 1024 flakey down\n" dmctl -S status c
}
flakey_cycle_cleanup()
{
	dm_cleanup
}

atf_test_case component_errors cleanup
component_errors_head()
{
	atf_set descr "a component that is missing or no block device: its errno and line"
}
component_errors_body()
{
	dm_setup
	atf_check dmctl create c
	pre="dmctl: libdm_task_run: from dmctl_table_reload failed.: "
	echo "0 8 linear $DM_WORK/nonexistent 2" >t
	atf_check -s exit:1 -o empty \
	    -e inline:"${pre}No such file or directory\ndmctl: line 1: cannot open component $DM_WORK/nonexistent: no such file or directory (ENOENT)\n" \
	    dmctl reload c t
	echo "0 8 zero" >t
	echo "8 8 linear /dev/null 2" >>t
	atf_check -s exit:1 -o empty \
	    -e inline:"${pre}Block device required\ndmctl: line 2: cannot open component /dev/null: not a block device (ENOTBLK)\n" \
	    dmctl reload c t
	echo "0 8 linear /dev/null 2" >t
	atf_check -s exit:1 -o empty \
	    -e inline:"${pre}Block device required\ndmctl: line 1: cannot open component /dev/null: not a block device (ENOTBLK)\n" \
	    dmctl reload c t
	info_is c "" 0 0
}
component_errors_cleanup()
{
	dm_cleanup
}

atf_test_case many_names cleanup
many_names_head()
{
	atf_set descr "dmsetup suspend, resume and remove take several devices, in order"
}
many_names_body()
{
	dm_setup
	mkdev a "0 8 zero"
	mkdev b "0 8 error"
	atf_check dmctl -S suspend a b
	info_is a "" 1 34
	info_is b "" 1 34
	atf_check dmctl -S resume a b
	info_is a "" 1 32
	info_is b "" 1 32
	atf_check dmctl create c
	atf_check -s exit:1 -e inline:"dmsetup: remove nosuch: ENOENT (No such file or directory): device 'nosuch' does not exist\n" \
	    dmctl -S remove a nosuch c
	atf_check -o inline:"b\t(169:$(dm_minor b))\nc\t(169:$(dm_minor c))\n" dmctl -S ls
	atf_check dmctl -S remove b c
	atf_check -o inline:"No devices found\n" dmctl -S ls
}
many_names_cleanup()
{
	dm_cleanup
}

atf_test_case swap_under_io cleanup
swap_under_io_head()
{
	atf_set descr "reload, suspend and resume while writes flow: nothing fails or is lost"
}
swap_under_io_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev s "0 2048 linear $wd 2"
	printf '0 1024 linear %s 2\n1024 1024 linear %s 1026\n' "$wd" "$wd" >t.split
	echo "0 2048 linear $wd 2" >t.whole
	w=0
	while [ $w -lt 24 ]; do
		dm_pattern "p$w" 4 $((60 + w))
		w=$((w + 1))
	done
	(
		w=0
		while [ $w -lt 24 ]; do
			dm_write s $((w * 40960)) "p$w" || echo "write $w failed" >>errors
			w=$((w + 1))
		done
		echo ok >writer.done
	) &
	writer=$!
	n=0
	while [ ! -f writer.done ] && [ $n -lt 200 ]; do
		if [ $((n % 2)) -eq 0 ]; then t=t.split; else t=t.whole; fi
		dmctl reload s "$t" || echo "reload $n failed" >>errors
		dmctl suspend s || echo "suspend $n failed" >>errors
		dmctl resume s || echo "resume $n failed" >>errors
		n=$((n + 1))
	done
	wait "$writer"
	echo "$n table swaps during the writes"
	[ -f errors ] && atf_fail "$(cat errors)"
	[ "$n" -ge 2 ] || atf_fail "only $n table swaps during the writes"
	w=0
	while [ $w -lt 24 ]; do
		dm_comp_read "$wd" $((w * 40960 + 1024)) 4096 got || atf_fail "reading the component failed"
		cmp -s "p$w" got || atf_fail "write $w is not on the component"
		w=$((w + 1))
	done
	atf_check -o match:"^Event number:      $((n + 1))$" dmctl -S info s
}
swap_under_io_cleanup()
{
	dm_cleanup
}

atf_test_case inactive_holds cleanup
inactive_holds_head()
{
	atf_set descr "an inactive table holds its components open; clear and refusals let go"
}
inactive_holds_body()
{
	dm_setup
	wd=$(dm_disk wd 2)
	mkdev low "0 1024 linear $wd 2"
	lowdev=$(dm_blk low)
	atf_check dmctl create top
	printf '0 512 linear %s 0\n512 8 nosuchtarget\n' "$lowdev" >bad
	atf_check -s exit:1 -e match:"unknown target type" dmctl reload top bad
	atf_check -o match:"^Open count:        0$" dmctl -S info low
	echo "0 512 linear $lowdev 0" >good
	atf_check dmctl reload top good
	atf_check -o match:"^Open count:        1$" dmctl -S info low
	atf_check -s exit:1 -e match:"EBUSY" dmctl remove low
	atf_check dmctl -S clear top
	atf_check -o match:"^Open count:        0$" dmctl -S info low
	atf_check dmctl remove low
	atf_check -o inline:"Device name: top, device minor: $(dm_minor top) \n" dmctl ls
}
inactive_holds_cleanup()
{
	dm_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case seed
	atf_add_test_case commands
	atf_add_test_case usage
	atf_add_test_case bad_input
	atf_add_test_case two_sector_rule
	atf_add_test_case oversized_request
	atf_add_test_case table_swap
	atf_add_test_case multi_line
	atf_add_test_case striped
	atf_add_test_case delay
	atf_add_test_case flakey
	atf_add_test_case remove_busy
	atf_add_test_case remove_all
	atf_add_test_case waitevent
	atf_add_test_case stacking
	atf_add_test_case version_targets
	atf_add_test_case ls_names
	atf_add_test_case info_flags
	atf_add_test_case missing_device
	atf_add_test_case missing_device_dmsetup
	atf_add_test_case create_exists
	atf_add_test_case bad_names
	atf_add_test_case uuid
	atf_add_test_case rename_keeps
	atf_add_test_case suspend_holds_io
	atf_add_test_case resume_keeps_table
	atf_add_test_case reload_input
	atf_add_test_case reload_refused
	atf_add_test_case clear
	atf_add_test_case table_format
	atf_add_test_case table_filters
	atf_add_test_case deps_format
	atf_add_test_case message_errors
	atf_add_test_case setgeometry
	atf_add_test_case mknodes
	atf_add_test_case wait_next
	atf_add_test_case wait_removed
	atf_add_test_case remove_all_busy
	atf_add_test_case remove_force
	atf_add_test_case remove_all_stacked
	atf_add_test_case json_output
	atf_add_test_case table_syntax
	atf_add_test_case create_rollback
	atf_add_test_case dmsetup_usage
	atf_add_test_case linear_two_disks
	atf_add_test_case device_end
	atf_add_test_case zero_target
	atf_add_test_case error_target
	atf_add_test_case striped_read
	atf_add_test_case striped_errors
	atf_add_test_case delay_write_device
	atf_add_test_case delay_errors
	atf_add_test_case flakey_write_features
	atf_add_test_case flakey_error_reads
	atf_add_test_case flakey_corrupt
	atf_add_test_case flakey_errors
	atf_add_test_case table_errors
	atf_add_test_case readonly
	atf_add_test_case disk_size
	atf_add_test_case disk_sync
	atf_add_test_case label_area_targets
	atf_add_test_case stacking_loops
	atf_add_test_case suspend_drains
	atf_add_test_case usage_block
	atf_add_test_case no_driver
	atf_add_test_case stacked_disk
	atf_add_test_case readonly_table
	atf_add_test_case flakey_cycle
	atf_add_test_case component_errors
	atf_add_test_case many_names
	atf_add_test_case swap_under_io
	atf_add_test_case inactive_holds
}
