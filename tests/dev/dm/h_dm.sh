# shellcheck shell=sh
# Helpers for the dm(4) tests.  They hide the differences between a
# NetBSD machine, host mode and rump mode: on NetBSD the driver is in the
# kernel and dm disks are read and written through their raw nodes with
# dd(1); in host mode (the test suite variable dm_hostbin names the
# directory with dm-hostd and dmctl) the driver runs in dm-hostd and dm
# disks are its NBD exports, read and written with nbdcopy(1) and
# qemu-io(1); in rump mode (dm_rumpbin names the directory with
# rump_server, dmctl and h_rumpio; dm_rumplibs the components the server
# loads) the driver runs in a rump kernel, each test its own server, and
# dm disks are read and written through its nodes by h_rumpio, a client.

dm_setup()
{
	DM_HOSTBIN=$(atf_config_get dm_hostbin "")
	DM_RUMPBIN=$(atf_config_get dm_rumpbin "")
	DM_WORK=$(pwd)
	if [ -n "$DM_RUMPBIN" ]; then
		DM_MODE=rump
		RUMP_SERVER=unix://$DM_WORK/rump.sock
		export RUMP_SERVER
		set --
		for l in $(atf_config_get dm_rumplibs); do
			set -- "$@" -l "$l"
		done
		# The server daemonises once its kernel is up.
		"$DM_RUMPBIN/rump_server" "$@" "$RUMP_SERVER" </dev/null \
		    >"$DM_WORK/server.log" 2>&1 ||
		    atf_fail "rump_server did not start: $(cat server.log)"
		echo "$RUMP_SERVER" >"$DM_WORK/rump.server"
		PATH="$DM_RUMPBIN:$PATH"
		export PATH
	elif [ -n "$DM_HOSTBIN" ]; then
		DM_MODE=host
		mkdir -p "$DM_WORK/sock"
		"$DM_HOSTBIN/dm-hostd" --socket-dir "$DM_WORK/sock" </dev/null >/dev/null \
		    2>"$DM_WORK/hostd.log" &
		echo $! >"$DM_WORK/hostd.pid"
		i=0
		while [ ! -S "$DM_WORK/sock/nbd" ] && [ $i -lt 200 ]; do
			sleep 0.05
			i=$((i + 1))
		done
		[ -S "$DM_WORK/sock/nbd" ] || atf_fail "dm-hostd did not start"
		# atf_check runs programs, not functions: a dmctl that talks
		# to this test's daemon goes first in PATH.
		mkdir -p "$DM_WORK/bin"
		printf '#!/bin/sh\nexec "%s/dmctl" --control "%s/sock/control" "$@"\n' \
		    "$DM_HOSTBIN" "$DM_WORK" >"$DM_WORK/bin/dmctl"
		chmod +x "$DM_WORK/bin/dmctl"
		PATH="$DM_WORK/bin:$PATH"
		export PATH
	else
		DM_MODE=netbsd
	fi
}

dm_cleanup()
{
	if [ -f hostd.pid ]; then
		kill -TERM "$(cat hostd.pid)" 2>/dev/null
		sleep 0.2
	elif [ -f rump.server ]; then
		RUMP_SERVER=$(cat rump.server) \
		    "$(atf_config_get dm_rumpbin)/h_rumpio" halt >/dev/null 2>&1
	else
		dmctl -S remove_all >/dev/null 2>&1
		[ -f vnds ] && while read -r v; do
			vnconfig -u "$v" >/dev/null 2>&1
		done <vnds
	fi
	return 0
}

# dm_disk NAME MIB: a zeroed disk of MIB MiB; prints the component path
# a table line names.
dm_disk()
{
	dd if=/dev/zero of="$DM_WORK/$1.img" bs=1m count="$2" \
	    >/dev/null 2>&1 ||
	    dd if=/dev/zero of="$DM_WORK/$1.img" bs=1M count="$2" \
	    >/dev/null 2>&1
	if [ "$DM_MODE" = host ]; then
		echo "$DM_WORK/$1.img"
		return
	fi
	if [ "$DM_MODE" = rump ]; then
		h_rumpio disk "/dev/$1" "$DM_WORK/$1.img" ||
		    atf_fail "rump kernel refused disk $1"
		echo "/dev/$1"
		return
	fi
	for n in 0 1 2 3 4 5 6 7; do
		if vnconfig "vnd$n" "$DM_WORK/$1.img" >/dev/null 2>&1; then
			echo "vnd$n" >>"$DM_WORK/vnds"
			echo "/dev/vnd${n}d"
			return
		fi
	done
	atf_fail "no free vnd(4) for $1"
}

# dm_comp_read PATH OFFSET LEN OUT: bytes of a component.
dm_comp_read()
{
	src=$1
	# shellcheck disable=SC2001 # POSIX sh has no ${var/a/b}
	[ "$DM_MODE" = netbsd ] && src=$(echo "$1" | sed 's,/dev/,/dev/r,')
	[ "$DM_MODE" = rump ] && src="$DM_WORK/${1#/dev/}.img"
	dd if="$src" of="$4" bs=512 skip=$(($2 / 512)) count=$(($3 / 512)) \
	    >/dev/null 2>&1
}

dm_uri()
{
	echo "nbd+unix:///$1?socket=$DM_WORK/sock/nbd"
}

dm_minor()
{
	dmctl info "$1" | sed -n 's/^Device minor: *//p' | tr -d '\t'
}

# The raw node of dm device NAME on NetBSD and in rump mode.
dm_node()
{
	minor=$(dm_minor "$1")
	if [ "$DM_MODE" = rump ]; then
		h_rumpio node "/dev/rdm$minor" c "$minor" || return 1
		echo "/dev/rdm$minor"
		return
	fi
	node="$DM_WORK/r$1"
	[ -c "$node" ] || mknod "$node" c 194 "$minor"
	echo "$node"
}

# dm_opens NAME: how many times dm device NAME is open.
dm_opens()
{
	dmctl -S info "$1" 2>/dev/null | sed -n 's/^Open count: *//p'
}

# dm_settle NAME OPENS: waits (5 s at most) until dm device NAME is open
# OPENS times.  dm-hostd closes a device after its NBD client has gone,
# and opens it for a new client a moment after the client started.
dm_settle()
{
	dm_n=0
	while [ $dm_n -lt 250 ]; do
		dm_o=$(dm_opens "$1")
		[ -z "$dm_o" ] || [ "$dm_o" = "$2" ] && return
		sleep 0.02
		dm_n=$((dm_n + 1))
	done
}

# The block node of dm device NAME, for tables that stack on it.
dm_blk()
{
	case "$DM_MODE" in
	host)
		echo "/dev/mapper/$1"
		;;
	rump)
		minor=$(dm_minor "$1")
		h_rumpio node "/dev/dm$minor" b "$minor" || return 1
		echo "/dev/dm$minor"
		;;
	*)
		minor=$(dm_minor "$1")
		[ -b "$DM_WORK/$1.blk" ] ||
		    mknod "$DM_WORK/$1.blk" b 169 "$minor"
		echo "$DM_WORK/$1.blk"
		;;
	esac
}

# dm_write NAME OFFSET FILE: FILE's bytes into dm device NAME at OFFSET.
dm_write()
{
	if [ "$DM_MODE" = host ]; then
		dm_was=$(dm_opens "$1")
		len=$(wc -c <"$3" | tr -d ' ')
		qemu-io -f raw -c "write -s $3 $2 $len" "$(dm_uri "$1")" \
		    >/dev/null 2>&1
		dm_rc=$?
		dm_settle "$1" "$dm_was"
		return $dm_rc
	elif [ "$DM_MODE" = rump ]; then
		h_rumpio write "$(dm_node "$1")" "$2" "$3" >/dev/null 2>&1
	else
		dd if="$3" of="$(dm_node "$1")" bs=512 seek=$(($2 / 512)) \
		    conv=notrunc >/dev/null 2>&1
	fi
}

# dm_read NAME OFFSET LEN OUT: bytes of dm device NAME (OFFSET and LEN in
# whole sectors); fails like the device does.
dm_read()
{
	if [ "$DM_MODE" = host ]; then
		# qemu-img dd stops at input block "count", not after it.
		rm -f "$4"
		dm_was=$(dm_opens "$1")
		qemu-img dd -f raw -O raw bs=512 skip=$(($2 / 512)) \
		    count=$((($2 + $3) / 512)) if="$(dm_uri "$1")" of="$4" \
		    >/dev/null 2>&1
		dm_rc=$?
		dm_settle "$1" "$dm_was"
		return $dm_rc
	elif [ "$DM_MODE" = rump ]; then
		h_rumpio read "$(dm_node "$1")" "$2" "$3" "$4" 2>/dev/null
	else
		dd if="$(dm_node "$1")" of="$4" bs=512 skip=$(($2 / 512)) \
		    count=$(($3 / 512)) 2>/dev/null
	fi
}

# dm_dmctl: the dmctl program itself, for a --control of a test's own.
dm_dmctl()
{
	if [ "$DM_MODE" = host ]; then
		echo "$DM_HOSTBIN/dmctl"
	else
		command -v dmctl
	fi
}

# dm_size NAME: the size in bytes dm device NAME reports as a disk.
dm_size()
{
	if [ "$DM_MODE" = host ]; then
		dm_was=$(dm_opens "$1")
		nbdinfo --size "$(dm_uri "$1")"
		dm_rc=$?
		dm_settle "$1" "$dm_was"
		return $dm_rc
	elif [ "$DM_MODE" = rump ]; then
		h_rumpio size "$(dm_node "$1")"
	else
		secs=$(disklabel "$(dm_node "$1")" |
		    sed -n 's/^total sectors: *//p')
		echo $((secs * 512))
	fi
}

# dm_sync NAME: flushes dm device NAME (DIOCCACHESYNC); fails like it.
dm_sync()
{
	if [ "$DM_MODE" = host ]; then
		dm_was=$(dm_opens "$1")
		qemu-io -f raw -c flush "$(dm_uri "$1")" >/dev/null 2>&1
		dm_rc=$?
		dm_settle "$1" "$dm_was"
		return $dm_rc
	elif [ "$DM_MODE" = rump ]; then
		h_rumpio sync "$(dm_node "$1")" >/dev/null 2>&1
	else
		dkctl "$(dm_node "$1")" synccache force >/dev/null 2>&1
	fi
}

# dm_hold NAME SECONDS: keeps dm device NAME open in the background;
# dm_release waits until it lets go.
dm_hold()
{
	if [ "$DM_MODE" = host ]; then
		dm_opens "$1" >"$DM_WORK/hold.opens"
		echo "$1" >"$DM_WORK/hold.name"
		qemu-io -f raw -r -c "sleep $(($2 * 1000))" "$(dm_uri "$1")" \
		    >/dev/null 2>&1 &
		echo $! >"$DM_WORK/hold.pid"
		dm_settle "$1" $(($(cat "$DM_WORK/hold.opens") + 1))
	elif [ "$DM_MODE" = rump ]; then
		h_rumpio hold "$(dm_node "$1")" "$2" >/dev/null 2>&1 &
		echo $! >"$DM_WORK/hold.pid"
		sleep 0.5
	else
		(sleep "$2") <"$(dm_node "$1")" &
		echo $! >"$DM_WORK/hold.pid"
		sleep 0.5
	fi
}

dm_release()
{
	wait "$(cat "$DM_WORK/hold.pid")"
	dm_rc=$?
	[ "$DM_MODE" = host ] &&
	    dm_settle "$(cat "$DM_WORK/hold.name")" "$(cat "$DM_WORK/hold.opens")"
	return $dm_rc
}

# dm_pattern FILE KIB SEED: reproducible non-zero bytes.
dm_pattern()
{
	i=0
	: >"$1"
	while [ $i -lt "$2" ]; do
		printf '%01024d' "$(($3 * 100003 + i))" >>"$1"
		i=$((i + 1))
	done
}
