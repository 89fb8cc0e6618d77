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
 * proplib(3) C interface, as host mode provides it.
 *
 * Names, types and signatures follow NetBSD's <prop/proplib.h> (the
 * NetBSD 10 interface, plus the older names NetBSD 9 code still uses), so
 * code written against NetBSD's proplib compiles unchanged against this
 * header and links against lib/libprop.
 */

#ifndef _PROPLIB_PROPLIB_H_
#define _PROPLIB_PROPLIB_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef void *prop_object_t;
typedef struct _prop_array *prop_array_t;
typedef struct _prop_bool *prop_bool_t;
typedef struct _prop_data *prop_data_t;
typedef struct _prop_dictionary *prop_dictionary_t;
typedef struct _prop_dictionary_keysym *prop_dictionary_keysym_t;
typedef struct _prop_number *prop_number_t;
typedef struct _prop_string *prop_string_t;
typedef struct _prop_object_iterator *prop_object_iterator_t;

typedef enum {
	PROP_TYPE_UNKNOWN =	0x00000000,
	PROP_TYPE_BOOL =	0x626f6f6c,	/* 'bool' */
	PROP_TYPE_NUMBER =	0x6e6d6272,	/* 'nmbr' */
	PROP_TYPE_STRING =	0x73746e67,	/* 'stng' */
	PROP_TYPE_DATA =	0x64617461,	/* 'data' */
	PROP_TYPE_ARRAY =	0x61726179,	/* 'aray' */
	PROP_TYPE_DICTIONARY =	0x64696374,	/* 'dict' */
	PROP_TYPE_DICT_KEYSYM =	0x646b6579	/* 'dkey' */
} prop_type_t;

/* prop_object(3) */
void		prop_object_retain(prop_object_t);
void		prop_object_release(prop_object_t);
prop_type_t	prop_object_type(prop_object_t);
bool		prop_object_equals(prop_object_t, prop_object_t);
char *		prop_object_externalize(prop_object_t);
prop_object_t	prop_object_internalize(const char *);
prop_object_t	prop_object_iterator_next(prop_object_iterator_t);
void		prop_object_iterator_reset(prop_object_iterator_t);
void		prop_object_iterator_release(prop_object_iterator_t);

/* prop_dictionary(3) */
prop_dictionary_t prop_dictionary_create(void);
prop_dictionary_t prop_dictionary_create_with_capacity(unsigned int);
prop_dictionary_t prop_dictionary_copy(prop_dictionary_t);
prop_dictionary_t prop_dictionary_copy_mutable(prop_dictionary_t);
unsigned int	prop_dictionary_count(prop_dictionary_t);
bool		prop_dictionary_ensure_capacity(prop_dictionary_t, unsigned int);
prop_object_iterator_t prop_dictionary_iterator(prop_dictionary_t);
prop_object_t	prop_dictionary_get(prop_dictionary_t, const char *);
bool		prop_dictionary_set(prop_dictionary_t, const char *,
		    prop_object_t);
bool		prop_dictionary_set_and_rel(prop_dictionary_t, const char *,
		    prop_object_t);
void		prop_dictionary_remove(prop_dictionary_t, const char *);
prop_object_t	prop_dictionary_get_keysym(prop_dictionary_t,
		    prop_dictionary_keysym_t);
bool		prop_dictionary_equals(prop_dictionary_t, prop_dictionary_t);
char *		prop_dictionary_externalize(prop_dictionary_t);
prop_dictionary_t prop_dictionary_internalize(const char *);
const char *	prop_dictionary_keysym_value(prop_dictionary_keysym_t);
const char *	prop_dictionary_keysym_cstring_nocopy(prop_dictionary_keysym_t);
bool		prop_dictionary_keysym_equals(prop_dictionary_keysym_t,
		    prop_dictionary_keysym_t);

/* prop_dictionary_util(3) */
bool	prop_dictionary_get_dict(prop_dictionary_t, const char *,
	    prop_dictionary_t *);
bool	prop_dictionary_get_bool(prop_dictionary_t, const char *, bool *);
bool	prop_dictionary_set_bool(prop_dictionary_t, const char *, bool);
bool	prop_dictionary_get_int32(prop_dictionary_t, const char *, int32_t *);
bool	prop_dictionary_set_int32(prop_dictionary_t, const char *, int32_t);
bool	prop_dictionary_get_uint32(prop_dictionary_t, const char *,
	    uint32_t *);
bool	prop_dictionary_set_uint32(prop_dictionary_t, const char *, uint32_t);
bool	prop_dictionary_get_int64(prop_dictionary_t, const char *, int64_t *);
bool	prop_dictionary_set_int64(prop_dictionary_t, const char *, int64_t);
bool	prop_dictionary_get_uint64(prop_dictionary_t, const char *,
	    uint64_t *);
bool	prop_dictionary_set_uint64(prop_dictionary_t, const char *, uint64_t);
bool	prop_dictionary_get_string(prop_dictionary_t, const char *,
	    const char **);
bool	prop_dictionary_set_string(prop_dictionary_t, const char *,
	    const char *);
bool	prop_dictionary_set_string_nocopy(prop_dictionary_t, const char *,
	    const char *);
bool	prop_dictionary_get_cstring_nocopy(prop_dictionary_t, const char *,
	    const char **);
bool	prop_dictionary_set_cstring(prop_dictionary_t, const char *,
	    const char *);
bool	prop_dictionary_set_cstring_nocopy(prop_dictionary_t, const char *,
	    const char *);

/* prop_array(3) and prop_array_util(3) */
prop_array_t	prop_array_create(void);
prop_array_t	prop_array_create_with_capacity(unsigned int);
prop_array_t	prop_array_copy(prop_array_t);
unsigned int	prop_array_count(prop_array_t);
bool		prop_array_ensure_capacity(prop_array_t, unsigned int);
prop_object_iterator_t prop_array_iterator(prop_array_t);
prop_object_t	prop_array_get(prop_array_t, unsigned int);
bool		prop_array_set(prop_array_t, unsigned int, prop_object_t);
bool		prop_array_add(prop_array_t, prop_object_t);
bool		prop_array_add_and_rel(prop_array_t, prop_object_t);
void		prop_array_remove(prop_array_t, unsigned int);
bool		prop_array_equals(prop_array_t, prop_array_t);
char *		prop_array_externalize(prop_array_t);
prop_array_t	prop_array_internalize(const char *);
bool	prop_array_get_uint32(prop_array_t, unsigned int, uint32_t *);
bool	prop_array_add_uint32(prop_array_t, uint32_t);
bool	prop_array_get_uint64(prop_array_t, unsigned int, uint64_t *);
bool	prop_array_add_uint64(prop_array_t, uint64_t);
bool	prop_array_get_int32(prop_array_t, unsigned int, int32_t *);
bool	prop_array_add_int32(prop_array_t, int32_t);
bool	prop_array_get_int64(prop_array_t, unsigned int, int64_t *);
bool	prop_array_add_int64(prop_array_t, int64_t);
bool	prop_array_get_string(prop_array_t, unsigned int, const char **);
bool	prop_array_add_string(prop_array_t, const char *);
bool	prop_array_get_cstring_nocopy(prop_array_t, unsigned int,
	    const char **);
bool	prop_array_add_cstring(prop_array_t, const char *);
bool	prop_array_add_cstring_nocopy(prop_array_t, const char *);

/* prop_string(3) */
prop_string_t	prop_string_create_copy(const char *);
prop_string_t	prop_string_create_nocopy(const char *);
prop_string_t	prop_string_create_cstring(const char *);
prop_string_t	prop_string_create_cstring_nocopy(const char *);
const char *	prop_string_value(prop_string_t);
const char *	prop_string_cstring_nocopy(prop_string_t);
size_t		prop_string_size(prop_string_t);
bool		prop_string_equals(prop_string_t, prop_string_t);
bool		prop_string_equals_string(prop_string_t, const char *);
bool		prop_string_equals_cstring(prop_string_t, const char *);

/* prop_number(3) */
prop_number_t	prop_number_create_signed(intmax_t);
prop_number_t	prop_number_create_unsigned(uintmax_t);
prop_number_t	prop_number_create_integer(int64_t);
prop_number_t	prop_number_create_unsigned_integer(uint64_t);
bool		prop_number_unsigned(prop_number_t);
int		prop_number_size(prop_number_t);
intmax_t	prop_number_signed_value(prop_number_t);
uintmax_t	prop_number_unsigned_value(prop_number_t);
int64_t		prop_number_integer_value(prop_number_t);
uint64_t	prop_number_unsigned_integer_value(prop_number_t);
bool		prop_number_int32_value(prop_number_t, int32_t *);
bool		prop_number_uint32_value(prop_number_t, uint32_t *);
bool		prop_number_int64_value(prop_number_t, int64_t *);
bool		prop_number_uint64_value(prop_number_t, uint64_t *);
bool		prop_number_equals(prop_number_t, prop_number_t);
bool		prop_number_equals_signed(prop_number_t, intmax_t);
bool		prop_number_equals_unsigned(prop_number_t, uintmax_t);

/* prop_bool(3) */
prop_bool_t	prop_bool_create(bool);
bool		prop_bool_true(prop_bool_t);
bool		prop_bool_value(prop_bool_t);
bool		prop_bool_equals(prop_bool_t, prop_bool_t);

/* prop_data(3) */
prop_data_t	prop_data_create_copy(const void *, size_t);
prop_data_t	prop_data_create_nocopy(const void *, size_t);
prop_data_t	prop_data_create_data(const void *, size_t);
size_t		prop_data_size(prop_data_t);
const void *	prop_data_value(prop_data_t);
const void *	prop_data_data_nocopy(prop_data_t);
bool		prop_data_equals(prop_data_t, prop_data_t);

#endif /* _PROPLIB_PROPLIB_H_ */
