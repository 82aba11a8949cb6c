/*
 * checksum.c - SHA-256 through OpenSSL's EVP interface.
 *
 * The only file that includes an OpenSSL header.
 */
#include "checksum.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

#include "../util/buf.h"

struct checksum {
	EVP_MD_CTX	*md;
	bool		 pending_cr;	/* a '\r' ended the previous chunk */
};

/*
 * OpenSSL 3 looks the algorithm up again on every EVP_sha256() init, which
 * cost more than hashing a small file; fetch it once and keep it for the
 * life of the process.
 */
static const EVP_MD *
sha256(void)
{
	static EVP_MD *md;

	if (md == NULL) {
		/* SHA-256 only: skip openssl.cnf and the cipher tables. */
		OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG |
		    OPENSSL_INIT_NO_ADD_ALL_CIPHERS |
		    OPENSSL_INIT_NO_ADD_ALL_DIGESTS, NULL);
		md = EVP_MD_fetch(NULL, "SHA256", NULL);
	}
	return md;
}

struct checksum *
checksum_new(void)
{
	struct checksum *c = xcalloc(1, sizeof(*c));

	c->md = EVP_MD_CTX_new();
	if (c->md == NULL || sha256() == NULL ||
	    EVP_DigestInit_ex(c->md, sha256(), NULL) != 1) {
		fprintf(stderr, "strata: fatal: cannot initialise SHA-256\n");
		abort();
	}
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
			EVP_DigestUpdate(c->md, "\r", 1);
		c->pending_cr = false;
	}
	for (i = 0; i < len; i++) {
		if (data[i] != '\r')
			continue;
		if (i + 1 == len) {
			EVP_DigestUpdate(c->md, data + start, i - start);
			c->pending_cr = true;
			return;
		}
		if (data[i + 1] == '\n') {
			EVP_DigestUpdate(c->md, data + start, i - start);
			start = i + 1;
		}
	}
	EVP_DigestUpdate(c->md, data + start, len - start);
}

void
checksum_final(struct checksum *c, char out[CHECKSUM_HEX])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	if (c->pending_cr)
		EVP_DigestUpdate(c->md, "\r", 1);
	EVP_DigestFinal_ex(c->md, md, &n);
	for (i = 0; i < n && i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	EVP_MD_CTX_free(c->md);
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
