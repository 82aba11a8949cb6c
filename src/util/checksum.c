/*
 * checksum.c - SHA-256 through OpenSSL's EVP digest interface.
 *
 * The only file that includes an OpenSSL header. SPEC §5's checksum reads
 * CRLF as LF, so carriage returns are dropped here as the bytes stream in,
 * even when a "\r\n" pair is cut across two updates.
 */
#include "checksum.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"

struct checksum {
	EVP_MD_CTX *md;
	bool        pending_cr; /* a '\r' ended the previous chunk */
};

/* A digest that cannot start or finish is as fatal as running out of memory. */
static void
evp_check(int ok, const char *what)
{
	if (ok == 1)
		return;
	fprintf(stderr, "strata: fatal: SHA-256 (%s) failed in OpenSSL\n",
	    what);
	abort();
}

/*
 * The digest is fetched from OpenSSL's provider once: EVP_sha256() would
 * look it up again for every file (OpenSSL's "implicit fetch").
 */
static const EVP_MD *
sha256(void)
{
	static EVP_MD *md;

	if (md == NULL) {
		md = EVP_MD_fetch(NULL, "SHA256", NULL);
		evp_check(md != NULL, "EVP_MD_fetch");
	}
	return md;
}

struct checksum *
checksum_new(void)
{
	struct checksum *c = xcalloc(1, sizeof(*c));

	c->md = EVP_MD_CTX_new();
	evp_check(c->md != NULL, "EVP_MD_CTX_new");
	evp_check(EVP_DigestInit_ex(c->md, sha256(), NULL),
	    "EVP_DigestInit_ex");
	return c;
}

static void
feed(struct checksum *c, const char *data, size_t len)
{
	if (len > 0)
		evp_check(EVP_DigestUpdate(c->md, data, len),
		    "EVP_DigestUpdate");
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
			feed(c, "\r", 1);
		c->pending_cr = false;
	}
	for (i = 0; i < len; i++) {
		if (data[i] != '\r')
			continue;
		if (i + 1 == len) {
			feed(c, data + start, i - start);
			c->pending_cr = true;
			return;
		}
		if (data[i + 1] == '\n') {
			feed(c, data + start, i - start);
			start = i + 1;
		}
	}
	feed(c, data + start, len - start);
}

void
checksum_final(struct checksum *c, char out[CHECKSUM_HEX])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char     md[EVP_MAX_MD_SIZE];
	unsigned int      i, n = 0;

	if (c->pending_cr)
		feed(c, "\r", 1);
	evp_check(EVP_DigestFinal_ex(c->md, md, &n) == 1 && n == 32,
	    "EVP_DigestFinal_ex");
	EVP_MD_CTX_free(c->md);
	for (i = 0; i < n; i++) {
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
