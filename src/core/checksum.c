/*
 * checksum.c - SHA-256 through OpenSSL's libcrypto.
 *
 * The only file that includes an OpenSSL header. It uses the direct
 * SHA256_Init/Update/Final functions, deprecated in OpenSSL 3 but kept
 * there: the EVP interface loads a provider on first use, which costs
 * about 2 ms per process, more than all of `strata status` on a small
 * project. If they go away, only this file changes.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "checksum.h"

#include <openssl/sha.h>
#include <stdlib.h>

#include "../util/buf.h"

struct checksum {
	SHA256_CTX	 md;
	bool		 pending_cr;	/* a '\r' ended the previous chunk */
};

struct checksum *
checksum_new(void)
{
	struct checksum *c = xcalloc(1, sizeof(*c));

	SHA256_Init(&c->md);
	return c;
}

void
checksum_update(struct checksum *c, const char *data, size_t len)
{
	size_t i, start = 0;

	if (len == 0)
		return;
	if (c->pending_cr) {
		/* The '\r' held back is kept unless this chunk starts with '\n'. */
		if (data[0] != '\n')
			SHA256_Update(&c->md, "\r", 1);
		c->pending_cr = false;
	}
	for (i = 0; i < len; i++) {
		if (data[i] != '\r')
			continue;
		if (i + 1 == len) {
			SHA256_Update(&c->md, data + start, i - start);
			c->pending_cr = true;
			return;
		}
		if (data[i + 1] == '\n') {
			SHA256_Update(&c->md, data + start, i - start);
			start = i + 1;
		}
	}
	SHA256_Update(&c->md, data + start, len - start);
}

void
checksum_final(struct checksum *c, char out[CHECKSUM_HEX])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[SHA256_DIGEST_LENGTH];
	unsigned int i;

	if (c->pending_cr)
		SHA256_Update(&c->md, "\r", 1);
	SHA256_Final(md, &c->md);
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	free(c);
}

void
checksum_text(const char *data, size_t len, char out[CHECKSUM_HEX])
{
	struct checksum *c = checksum_new();

	if (len >= 3 && (unsigned char)data[0] == 0xef &&
	    (unsigned char)data[1] == 0xbb && (unsigned char)data[2] == 0xbf) {
		data += 3;
		len -= 3;
	}
	checksum_update(c, data, len);
	checksum_final(c, out);
}
