/*
 * fleet.c - start a child per target, pass its lines on with the target's
 * prefix, and decide which target starts next.
 *
 * A child is this process forked after the command's options were read,
 * so it runs exactly what a single-database run would. It writes its
 * results and diagnostics to pipes, and its facts (fleet.h) to a third one
 * as its last act. After a failure no target starts unless --keep-going;
 * after a signal none starts, the running ones get SIGTERM (their
 * sessions end, their transactions roll back, as after kill -9), and the
 * next run resumes them.
 */
#include "fleet.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../util/error.h"
#include "../util/fs.h"
#include "../util/log.h"

static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	got_signal = sig;
}

/* "1,2,3": the versions of the plan in one state, or NULL. */
static char *
versions_in(const struct plan *p, enum mig_state s)
{
	struct buf b = BUF_INIT;
	size_t     i;

	for (i = 0; i < p->n; i++)
		if (p->v[i].state == s)
			buf_addf(&b, "%s%lld", b.len ? "," : "",
			    (long long)p->v[i].version);
	return b.len ? buf_detach(&b) : NULL;
}

static void
fact_list(struct buf *b, const char *key, char *list)
{
	if (list != NULL)
		buf_addf(b, "%s %s\n", key, list);
	free(list);
}

/* The child's last words: what the summary needs of its target. */
static void
write_facts(struct ctx *ctx, int fd, int code)
{
	struct target *t = &ctx->target;
	struct buf     b = BUF_INIT;
	int64_t        current = -1, pending = 0;
	size_t         i;

	if (t->db != NULL && target_current(t, &current) < 0)
		current = -1;
	buf_addf(&b, "current %lld\n", (long long)current);
	buf_addf(&b, "applied %lld\n",
	    ctx->report.started ? (long long)ctx->report.n : -1LL);
	for (i = 0; i < t->plan.n; i++)
		if (t->plan.v[i].state == STATE_PENDING ||
		    t->plan.v[i].state == STATE_OUT_OF_ORDER)
			pending++;
	buf_addf(&b, "pending %lld\n", (long long)pending);
	fact_list(&b, "failed", versions_in(&t->plan, STATE_FAILED));
	fact_list(&b, "drifted", versions_in(&t->plan, STATE_DRIFTED));
	fact_list(&b, "missing", versions_in(&t->plan, STATE_MISSING));
	fact_list(&b, "out_of_order",
	    versions_in(&t->plan, STATE_OUT_OF_ORDER));
	if (code != 0 && err_last()->message != NULL) {
		const char *m = err_last()->message;

		buf_adds(&b, "error ");
		for (; *m; m++)
			buf_addch(&b, *m == '\n' ? ' ' : *m);
		buf_addch(&b, '\n');
	}
	if (write(fd, b.ptr, b.len) < 0) {
		/* The parent is gone: nobody is left to tell. */
	}
	buf_free(&b);
}

static void
run_child(struct ctx *ctx, const struct cmd_entry *cmd,
    const struct target_spec *spec, int pipes[3][2], fleet_one_fn one)
{
	int code;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	dup2(pipes[0][1], STDOUT_FILENO);
	dup2(pipes[1][1], STDERR_FILENO);
	close(pipes[0][1]);
	close(pipes[1][1]);
	log_setup(log_get_level(), ctx->json);
	ctx->cfg.url = spec->url;
	if (spec->schema != NULL) {
		ctx->cfg.schema = spec->schema;
		ctx->cfg.tenant = true;
	}
	code = one(ctx, cmd);
	write_facts(ctx, pipes[2][1], code);
	target_close(&ctx->target);
	fflush(NULL);
	_exit(code);
}

static int
start(struct ctx *ctx, const struct cmd_entry *cmd, struct fleet_target *t,
    fleet_one_fn one)
{
	int pipes[3][2], i;

	for (i = 0; i < 3; i++)
		if (pipe2(pipes[i], O_CLOEXEC) < 0) {
			while (i-- > 0) {
				close(pipes[i][0]);
				close(pipes[i][1]);
			}
			return err_set(EXIT_DB, "cannot make a pipe: %s",
			    strerror(errno));
		}
	fflush(NULL);
	t->start_us = time_mono_us();
	if ((t->pid = fork()) < 0) {
		for (i = 0; i < 3; i++) {
			close(pipes[i][0]);
			close(pipes[i][1]);
		}
		return err_set(EXIT_DB, "cannot start a process for %s: %s",
		    t->spec->label, strerror(errno));
	}
	if (t->pid == 0)
		run_child(ctx, cmd, t->spec, pipes, one);
	for (i = 0; i < 3; i++) {
		close(pipes[i][1]);
		t->fd[i] = pipes[i][0];
	}
	t->state = FLEET_RUNNING;
	return 0;
}

/*
 * Pass the complete lines of part on, each after the target's label; with
 * f, lint findings are kept to be said once at the end (fleet_lint.c).
 */
static void
pass_lines(FILE *to, struct fleet *f, struct fleet_target *t, struct buf *part,
    bool all)
{
	const char *label = t->spec->label;
	size_t      start = 0, i;

	for (i = 0; i <= part->len; i++) {
		if (i == part->len ? !all || start == i : part->ptr[i] != '\n')
			continue;
		if (f == NULL ||
		    !fleet_finding_line(f, t, part->ptr + start, i - start))
			fprintf(to, "%s %.*s\n", label, (int)(i - start),
			    part->ptr + start);
		start = i < part->len ? i + 1 : i;
	}
	if (all && f != NULL)
		fleet_finding_flush(f, t);
	fflush(to);
	if (start == 0)
		return;
	memmove(part->ptr, part->ptr + start, part->len - start);
	part->len -= start;
}

/* Status shows its matrix; each target's own table only with -v. */
static bool
keep_stdout(const struct fleet *f)
{
	return f->json || f->cmd->fleet_done != NULL ||
	    log_get_level() >= LOG_VERBOSE;
}

/* Read what one of a target's pipes has; at its end, close it. */
static void
drain(struct fleet *f, struct fleet_target *t, int k)
{
	char    chunk[8192];
	ssize_t got = read(t->fd[k], chunk, sizeof(chunk));

	if (got < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (got > 0) {
		buf_add(&t->part[k], chunk, (size_t)got);
		if (k == 1)
			pass_lines(stderr, f, t, &t->part[1], false);
		else if (k == 0 && !f->json) {
			if (keep_stdout(f))
				pass_lines(stdout, NULL, t, &t->part[0], false);
			else
				t->part[0].len = 0;
		}
		return;
	}
	close(t->fd[k]);
	t->fd[k] = -1;
	if (k == 1)
		pass_lines(stderr, f, t, &t->part[1], true);
	else if (k == 0 && !f->json && keep_stdout(f))
		pass_lines(stdout, NULL, t, &t->part[0], true);
}

/* All its pipes closed: collect the child and what it said. */
static void
reap(struct fleet_target *t)
{
	int status = 0;

	while (waitpid(t->pid, &status, 0) < 0 && errno == EINTR)
		;
	t->duration_ms = (time_mono_us() - t->start_us) / 1000;
	buf_addch(&t->part[2], '\0');
	fleet_facts_parse(&t->facts, t->part[2].ptr);
	if (WIFSIGNALED(status)) {
		t->state = FLEET_INTERRUPTED;
		t->exit_code = 128 + WTERMSIG(status);
	} else {
		t->state = FLEET_DONE;
		t->exit_code = WEXITSTATUS(status);
	}
}

static bool
open_fds(const struct fleet_target *t)
{
	return t->fd[0] >= 0 || t->fd[1] >= 0 || t->fd[2] >= 0;
}

/* Wait for output from the running targets; returns how many ended. */
static size_t
step(struct fleet *f)
{
	struct pollfd *p = xcalloc(f->n * 3, sizeof(*p));
	size_t        *who = xcalloc(f->n * 3, sizeof(*who));
	size_t         np = 0, i, ended = 0;

	for (i = 0; i < f->n; i++) {
		int k;

		if (f->v[i].state != FLEET_RUNNING)
			continue;
		for (k = 0; k < 3; k++)
			if (f->v[i].fd[k] >= 0) {
				p[np].fd = f->v[i].fd[k];
				p[np].events = POLLIN;
				who[np++] = i * 3 + (size_t)k;
			}
	}
	if (poll(p, np, 250) > 0)
		for (i = 0; i < np; i++)
			if (p[i].revents != 0)
				drain(f, &f->v[who[i] / 3], (int)(who[i] % 3));
	for (i = 0; i < f->n; i++)
		if (f->v[i].state == FLEET_RUNNING && !open_fds(&f->v[i])) {
			reap(&f->v[i]);
			ended++;
		}
	free(p);
	free(who);
	return ended;
}

static bool
failed(const struct fleet_target *t)
{
	return t->state == FLEET_INTERRUPTED ||
	    (t->state == FLEET_DONE && t->exit_code != 0);
}

/* Canaries one at a time; the rest only after all of them ended. */
static bool
may_start(size_t next, size_t running, size_t canary, int parallel)
{
	if (next <= canary)
		return running == 0;
	return running < (size_t)parallel;
}

int
fleet_run(struct ctx *ctx, const struct cmd_entry *cmd,
    const struct target_list *list, const struct fleet_opts *o,
    fleet_one_fn one)
{
	struct fleet     f = { cmd, ctx->json, NULL, list->n, { NULL, 0, 0 } };
	struct sigaction sa, old_int, old_term;
	size_t           next = 0, running = 0, canary, i;
	bool             stop = false, forwarded = false;
	int              code, k;

	f.v = xcalloc(list->n, sizeof(*f.v));
	for (i = 0; i < list->n; i++) {
		f.v[i].spec = &list->v[i];
		f.v[i].exit_code = -1;
		/* Not known until the target says (a skipped one never does). */
		f.v[i].facts.current = -1;
		f.v[i].facts.applied = -1;
		for (k = 0; k < 3; k++)
			f.v[i].fd[k] = -1;
	}
	canary = o->canary < 0 ? 0 : (size_t)o->canary;
	if (canary > f.n)
		canary = f.n;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	for (;;) {
		if (got_signal && !forwarded) {
			for (i = 0; i < f.n; i++)
				if (f.v[i].state == FLEET_RUNNING)
					kill(f.v[i].pid, SIGTERM);
			forwarded = stop = true;
		}
		while (!stop && next < f.n &&
		    may_start(next, running, canary, o->parallel)) {
			if (start(ctx, cmd, &f.v[next], one) < 0) {
				/* No process for it: that target fails here. */
				f.v[next].state = FLEET_DONE;
				f.v[next].exit_code = err_last()->code;
				f.v[next].facts.current = -1;
				f.v[next].facts.applied = -1;
				log_error("%s strata: error: %s",
				    f.v[next].spec->label, err_last()->message);
				err_clear();
				if (!o->keep_going)
					stop = true;
			} else
				running++;
			next++;
		}
		if (running == 0)
			break;
		running -= step(&f);
		for (i = 0; i < next; i++) {
			if (!failed(&f.v[i]))
				continue;
			if (!o->keep_going || i < canary)
				stop = true;
		}
	}
	for (i = next; i < f.n; i++)
		f.v[i].state = FLEET_SKIPPED;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	fleet_findings_print(&f);
	fleet_print(&f);
	code = fleet_exit_code(&f, got_signal);
	for (i = 0; i < f.n; i++) {
		for (k = 0; k < 3; k++)
			buf_free(&f.v[i].part[k]);
		buf_free(&f.v[i].lint);
		fleet_facts_free(&f.v[i].facts);
	}
	fleet_findings_free(&f);
	free(f.v);
	return code;
}
