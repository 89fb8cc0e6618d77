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
	dm_read d 0 4096 x || atf_fail "read through the dm device failed"
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
}
