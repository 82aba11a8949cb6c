/*
 * udiff.c - a unified diff of two texts, as `diff -u` prints it.
 *
 * The lines both texts start and end with are set aside; the rest is
 * matched by a longest common subsequence of lines (a table of the two
 * middles' lengths, so it is kept for middles of modest size: past that
 * the whole middle is shown as removed and added, still a correct diff).
 */
#include "udiff.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

#define CONTEXT 3
#define TABLE_MAX (4u << 20)

struct lines {
	const char **v;
	size_t      *len;
	size_t       n;
};

static void
split_lines(const char *t, size_t len, struct lines *l)
{
	size_t i, start = 0, alloc = 0;

	memset(l, 0, sizeof(*l));
	for (i = 0; i <= len; i++) {
		if (i < len && t[i] != '\n')
			continue;
		if (i == len && start == len)
			break;
		if (l->n + 1 > alloc) {
			alloc = alloc ? alloc * 2 : 64;
			l->v = xrealloc(l->v, alloc * sizeof(*l->v));
			l->len = xrealloc(l->len, alloc * sizeof(*l->len));
		}
		l->v[l->n] = t + start;
		l->len[l->n] = i - start + (i < len);
		l->n++;
		start = i + 1;
	}
}

static bool
same(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] &&
	    memcmp(a->v[i], b->v[j], a->len[i]) == 0;
}

/* One edit-script entry: ' ' kept, '-' removed, '+' added. */
struct op {
	char   kind;
	size_t line; /* in a for ' ' and '-', in b for '+' */
};

static void
add_line(struct buf *out, char kind, const char *p, size_t len)
{
	buf_addch(out, kind);
	buf_add(out, p, len);
	if (len == 0 || p[len - 1] != '\n')
		buf_adds(out, "\n\\ No newline at end of file\n");
}

void
udiff(struct buf *out, const char *name_a, const char *a, size_t alen,
    const char *name_b, const char *b, size_t blen)
{
	struct lines A, B;
	size_t       pre = 0, suf = 0, m, n, i, j, nops = 0, k;
	uint32_t    *t = NULL;
	struct op   *ops;

	split_lines(a, alen, &A);
	split_lines(b, blen, &B);
	while (pre < A.n && pre < B.n && same(&A, pre, &B, pre))
		pre++;
	while (suf < A.n - pre && suf < B.n - pre &&
	    same(&A, A.n - 1 - suf, &B, B.n - 1 - suf))
		suf++;
	m = A.n - pre - suf;
	n = B.n - pre - suf;
	ops = xcalloc(A.n + B.n + 1, sizeof(*ops));
	for (i = 0; i < pre; i++)
		ops[nops++] = (struct op){ ' ', i };
	if ((m + 1) * (n + 1) <= TABLE_MAX)
		t = xcalloc((m + 1) * (n + 1), sizeof(*t));
	/* t[i][j]: the common lines of A's middle from i and B's from j. */
	for (i = m; t && i-- > 0;)
		for (j = n; j-- > 0;)
			t[i * (n + 1) + j] = same(&A, pre + i, &B, pre + j)
			    ? t[(i + 1) * (n + 1) + j + 1] + 1
			    : (t[(i + 1) * (n + 1) + j] > t[i * (n + 1) + j + 1]
				      ? t[(i + 1) * (n + 1) + j]
				      : t[i * (n + 1) + j + 1]);
	for (i = 0, j = 0; i < m || j < n;) {
		if (t && i < m && j < n && same(&A, pre + i, &B, pre + j)) {
			ops[nops++] = (struct op){ ' ', pre + i };
			i++, j++;
		} else if (i < m &&
		    (j == n || !t ||
			t[(i + 1) * (n + 1) + j] >= t[i * (n + 1) + j + 1]))
			ops[nops++] = (struct op){ '-', pre + i++ };
		else
			ops[nops++] = (struct op){ '+', pre + j++ };
	}
	for (i = 0; i < suf; i++)
		ops[nops++] = (struct op){ ' ', A.n - suf + i };
	free(t);

	if (pre == A.n && pre == B.n)
		goto done;
	buf_addf(out, "--- %s\n+++ %s\n", name_a, name_b);
	/* Hunks: changes with CONTEXT kept lines around, joined when close. */
	for (k = 0; k < nops;) {
		size_t start, end, la = 0, lb = 0, ca = 0, cb = 0, x;

		while (k < nops && ops[k].kind == ' ')
			k++;
		if (k == nops)
			break;
		start = k > CONTEXT ? k - CONTEXT : 0;
		end = k;
		for (;;) {
			size_t run = 0;

			while (end < nops && ops[end].kind != ' ')
				end++;
			while (end + run < nops && ops[end + run].kind == ' ')
				run++;
			if (end + run == nops || run > 2 * CONTEXT) {
				end += run < CONTEXT ? run : CONTEXT;
				break;
			}
			end += run;
		}
		/* Line numbers of the hunk's first line in a and in b. */
		for (x = 0; x < start; x++) {
			if (ops[x].kind != '+')
				la++;
			if (ops[x].kind != '-')
				lb++;
		}
		for (x = start; x < end; x++) {
			if (ops[x].kind != '+')
				ca++;
			if (ops[x].kind != '-')
				cb++;
		}
		buf_addf(out, "@@ -%zu,%zu +%zu,%zu @@\n", ca ? la + 1 : la, ca,
		    cb ? lb + 1 : lb, cb);
		for (x = start; x < end; x++) {
			if (ops[x].kind == '+')
				add_line(out, '+', B.v[ops[x].line],
				    B.len[ops[x].line]);
			else
				add_line(out, ops[x].kind, A.v[ops[x].line],
				    A.len[ops[x].line]);
		}
		k = end;
	}
done:
	free(ops);
	free(A.v);
	free(A.len);
	free(B.v);
	free(B.len);
}
