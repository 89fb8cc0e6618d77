/*-
 * Copyright (c) 2026 The NetBSD Foundation, Inc.
 * All rights reserved.
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions
 * are met:
 * 1. Redistributions of source code must retain the above copyright
 *    notice, this list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright
 *    notice, this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 *
 * THIS SOFTWARE IS PROVIDED BY THE NETBSD FOUNDATION, INC. AND CONTRIBUTORS
 * ``AS IS'' AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED
 * TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR
 * PURPOSE ARE DISCLAIMED.  IN NO EVENT SHALL THE FOUNDATION OR CONTRIBUTORS
 * BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR
 * CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF
 * SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS
 * INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN
 * CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE)
 * ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE
 * POSSIBILITY OF SUCH DAMAGE.
 */

/*
 * Drives lib/libprop through the prop_* C ABI the way the dm glue does:
 * builds a reload request, externalizes it, internalizes the text back and
 * checks every value, then walks it with iterators.  Every object made is
 * released, so a leak checker sees a clean exit.
 */

#include <prop/proplib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: check failed: %s\n",	\
			    __FILE__, __LINE__, #cond);			\
			failures++;					\
		}							\
	} while (0)

static prop_dictionary_t
make_table_line(uint64_t start, uint64_t length, const char *type,
    const char *params)
{
	prop_dictionary_t line;

	line = prop_dictionary_create();
	CHECK(prop_dictionary_set_uint64(line, "start", start));
	CHECK(prop_dictionary_set_uint64(line, "length", length));
	CHECK(prop_dictionary_set_string(line, "type", type));
	CHECK(prop_dictionary_set_string(line, "params", params));
	return line;
}

static prop_dictionary_t
make_reload(void)
{
	prop_dictionary_t req;
	prop_array_t ver, table;

	req = prop_dictionary_create();
	ver = prop_array_create();
	CHECK(prop_array_add_uint32(ver, 4));
	CHECK(prop_array_add_uint32(ver, 0));
	CHECK(prop_array_add_uint32(ver, 0));
	CHECK(prop_dictionary_set_and_rel(req, "version", ver));
	CHECK(prop_dictionary_set_string(req, "command", "reload"));
	CHECK(prop_dictionary_set_string(req, "name", "demo"));
	CHECK(prop_dictionary_set_uint32(req, "flags", 4));

	table = prop_array_create();
	CHECK(prop_array_add_and_rel(table,
	    make_table_line(0, 10240, "linear", "/dev/wd1a 384")));
	CHECK(prop_dictionary_set_and_rel(req, "cmd_data", table));
	return req;
}

static void
check_reload(prop_dictionary_t req)
{
	prop_array_t ver, table;
	prop_dictionary_t line;
	const char *s;
	uint32_t u32;
	uint64_t u64;

	CHECK(prop_object_type(req) == PROP_TYPE_DICTIONARY);
	CHECK(prop_dictionary_count(req) == 5);
	CHECK(prop_dictionary_get_string(req, "command", &s));
	CHECK(strcmp(s, "reload") == 0);
	CHECK(prop_dictionary_get_uint32(req, "flags", &u32) && u32 == 4);
	CHECK(!prop_dictionary_get_uint32(req, "name", &u32));
	CHECK(!prop_dictionary_get_string(req, "nosuchkey", &s));

	ver = prop_dictionary_get(req, "version");
	CHECK(prop_object_type(ver) == PROP_TYPE_ARRAY);
	CHECK(prop_array_count(ver) == 3);
	CHECK(prop_array_get_uint32(ver, 0, &u32) && u32 == 4);
	CHECK(!prop_array_get_uint32(ver, 3, &u32));

	table = prop_dictionary_get(req, "cmd_data");
	CHECK(prop_array_count(table) == 1);
	line = prop_array_get(table, 0);
	CHECK(prop_dictionary_get_uint64(line, "start", &u64) && u64 == 0);
	CHECK(prop_dictionary_get_uint64(line, "length", &u64) &&
	    u64 == 10240);
	CHECK(prop_dictionary_get_string(line, "type", &s) &&
	    strcmp(s, "linear") == 0);
	CHECK(prop_dictionary_get_string(line, "params", &s) &&
	    strcmp(s, "/dev/wd1a 384") == 0);
}

static void
test_roundtrip(void)
{
	prop_dictionary_t req, back;
	char *xml, *again;

	req = make_reload();
	check_reload(req);

	xml = prop_dictionary_externalize(req);
	CHECK(xml != NULL);
	CHECK(strstr(xml, "<key>flags</key>\n\t<integer>0x4</integer>\n")
	    != NULL);
	CHECK(strstr(xml, "\t\t\t<string>/dev/wd1a 384</string>\n") != NULL);

	back = prop_dictionary_internalize(xml);
	CHECK(back != NULL);
	check_reload(back);
	CHECK(prop_dictionary_equals(req, back));

	again = prop_dictionary_externalize(back);
	CHECK(again != NULL && strcmp(xml, again) == 0);

	free(again);
	free(xml);
	prop_object_release(back);
	prop_object_release(req);
}

static void
test_iterators(void)
{
	prop_dictionary_t req;
	prop_object_iterator_t it;
	prop_dictionary_keysym_t key;
	const char *want[] = { "cmd_data", "command", "flags", "name",
	    "version" };
	unsigned int n;

	req = make_reload();
	it = prop_dictionary_iterator(req);
	CHECK(it != NULL);
	n = 0;
	while ((key = prop_object_iterator_next(it)) != NULL) {
		CHECK(n < 5 && strcmp(prop_dictionary_keysym_value(key),
		    want[n]) == 0);
		CHECK(prop_dictionary_get_keysym(req, key) ==
		    prop_dictionary_get(req, want[n]));
		n++;
	}
	CHECK(n == 5);
	prop_object_iterator_reset(it);
	CHECK(prop_object_iterator_next(it) != NULL);
	prop_object_iterator_release(it);

	/* Removing a key while iterating leaves the snapshot valid. */
	it = prop_dictionary_iterator(req);
	prop_dictionary_remove(req, "cmd_data");
	CHECK(prop_dictionary_count(req) == 4);
	key = prop_object_iterator_next(it);
	CHECK(strcmp(prop_dictionary_keysym_value(key), "cmd_data") == 0);
	prop_object_iterator_release(it);
	prop_object_release(req);
}

static void
test_numbers_and_refs(void)
{
	prop_number_t n;
	prop_string_t s;
	prop_dictionary_t d;
	prop_data_t data;
	int32_t i32;
	uint32_t u32;

	n = prop_number_create_unsigned(1ULL << 40);
	CHECK(prop_number_unsigned(n));
	CHECK(!prop_number_uint32_value(n, &u32));
	CHECK(prop_number_unsigned_value(n) == (1ULL << 40));
	prop_object_release(n);

	n = prop_number_create_signed(-5);
	CHECK(!prop_number_unsigned(n));
	CHECK(!prop_number_uint32_value(n, &u32));
	CHECK(prop_number_int32_value(n, &i32) && i32 == -5);
	prop_object_release(n);

	/* A value stored in a dictionary outlives the creator's reference. */
	d = prop_dictionary_create();
	s = prop_string_create_copy("vg0-lv0");
	CHECK(prop_dictionary_set(d, "name", s));
	prop_object_release(s);
	CHECK(prop_string_equals_string(prop_dictionary_get(d, "name"),
	    "vg0-lv0"));
	CHECK(prop_string_size(prop_dictionary_get(d, "name")) == 7);

	/* Wrong types and NULLs are refused, not crashed on. */
	CHECK(prop_dictionary_get(NULL, "x") == NULL);
	CHECK(!prop_dictionary_set(d, "self", d));
	CHECK(prop_array_count((prop_array_t)d) == 0);
	CHECK(prop_object_type(NULL) == PROP_TYPE_UNKNOWN);
	CHECK(prop_dictionary_internalize("<plist><dict>") == NULL);
	CHECK(prop_dictionary_internalize(
	    "<plist><array></array></plist>") == NULL);

	data = prop_data_create_copy("\x01\x02\x03", 3);
	CHECK(prop_dictionary_set_and_rel(d, "blob", data));
	CHECK(prop_data_size(prop_dictionary_get(d, "blob")) == 3);
	CHECK(memcmp(prop_data_value(prop_dictionary_get(d, "blob")),
	    "\x01\x02\x03", 3) == 0);

	CHECK(prop_dictionary_set_bool(d, "on", true));
	CHECK(prop_bool_true(prop_dictionary_get(d, "on")));
	prop_object_release(d);
}

static void
test_json(void)
{
	prop_dictionary_t d;
	const char *s;
	uint32_t u32;

	d = prop_dictionary_internalize(
	    "{ \"command\": \"version\", \"version\": [4, 0, 0],"
	    " \"flags\": 4 }");
	CHECK(d != NULL);
	CHECK(prop_dictionary_get_string(d, "command", &s) &&
	    strcmp(s, "version") == 0);
	CHECK(prop_array_get_uint32(prop_dictionary_get(d, "version"), 0,
	    &u32) && u32 == 4);
	prop_object_release(d);
}

int
prop_ctest_run(void)
{

	test_roundtrip();
	test_iterators();
	test_numbers_and_refs();
	test_json();
	return failures;
}
