/* gnuplot.c — locate plots/ and gnuplot; run a script with its variables and
 * capture what gnuplot says, so that an error names the script it came from. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "gnuplot.h"

extern char **environ;

static int has_palette(const char *dir)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/palette.gp", dir);
	return access(path, R_OK) == 0;
}

int plots_dir_find(char *dir, size_t len, struct err *e)
{
	const char *env = getenv("CMBENCH_PLOTS_DIR");
	if (env && *env) {
		if (!has_palette(env))
			return err_set(e, "CMBENCH_PLOTS_DIR=%s holds no palette.gp", env);
		snprintf(dir, len, "%s", env);
		return 0;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		const char *bin = dirname(exe);
		static const char *const rel[] = {"plots", "../plots", "../share/cmbench/plots"};
		for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
			snprintf(dir, len, "%s/%s", bin, rel[i]);
			if (has_palette(dir))
				return 0;
		}
	}
#ifdef CMBENCH_SOURCE_DIR
	snprintf(dir, len, "%s/plots", CMBENCH_SOURCE_DIR);
	if (has_palette(dir))
		return 0;
#endif
	return err_set(e, "cannot find the plot scripts (plots/palette.gp) next to the executable "
			  "or in the source tree; set CMBENCH_PLOTS_DIR");
}

int gnuplot_find(char *path, size_t len, struct err *e)
{
	const char *env = getenv("CMBENCH_GNUPLOT");
	if (env && *env) {
		if (access(env, X_OK))
			return err_set(e, "CMBENCH_GNUPLOT=%s is not an executable", env);
		snprintf(path, len, "%s", env);
		return 0;
	}
	const char *search = getenv("PATH");
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", search ? search : "");
	for (char *save = NULL, *d = strtok_r(buf, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		struct stat st;
		snprintf(path, len, "%s/gnuplot", *d ? d : ".");
		if (!stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK))
			return 0;
	}
	return err_set(e, "gnuplot not found in PATH; install it (Debian: apt-get install "
			  "gnuplot-nox, or scripts/deps) or set CMBENCH_GNUPLOT");
}

/* name='value'; with ' doubled, as gnuplot's single-quoted strings want. */
static int append_var(char *buf, size_t len, size_t *at, const struct gp_var *v)
{
	int n = snprintf(buf + *at, len - *at, "%s=%s", v->name, v->is_number ? "" : "'");
	if (n < 0 || (size_t)n >= len - *at)
		return -1;
	*at += (size_t)n;
	for (const char *p = v->value; *p; p++) {
		if (*at + 3 >= len)
			return -1;
		if (*p == '\'' && !v->is_number)
			buf[(*at)++] = '\'';
		buf[(*at)++] = *p;
	}
	n = snprintf(buf + *at, len - *at, "%s;", v->is_number ? "" : "'");
	if (n < 0 || (size_t)n >= len - *at)
		return -1;
	*at += (size_t)n;
	return 0;
}

static void first_error_line(const char *log, char *out, size_t len)
{
	/* gnuplot prints the offending line, a caret, then `"script" line N: message`. */
	const char *hit = strstr(log, " line ");
	const char *start = log;
	if (hit) {
		while (hit > log && hit[-1] != '\n')
			hit--;
		start = hit;
	}
	size_t n = strcspn(start, "\n");
	snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), start);
}

int gnuplot_start(const char *gnuplot, const char *script, const struct gp_var *vars, size_t nvars,
		  int out_fd, struct gp_job *job, struct err *e)
{
	char assign[8192];
	size_t at = 0;
	assign[0] = '\0';
	snprintf(job->script, sizeof job->script, "%s", script);
	for (size_t i = 0; i < nvars; i++)
		if (append_var(assign, sizeof assign, &at, &vars[i]))
			return err_set(e, "%s: the variables for gnuplot exceed %zu bytes", script,
				       sizeof assign);
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC))
		return err_set(e, "%s: pipe: %s", script, strerror(errno));
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (out_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
	char *argv[] = {(char *)gnuplot, "-e", assign, (char *)script, NULL};
	int rc = posix_spawn(&job->pid, gnuplot, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc) {
		close(pipefd[0]);
		return err_set(e, "%s: cannot run %s: %s", script, gnuplot, strerror(rc));
	}
	job->fd = pipefd[0];
	return 0;
}

int gnuplot_wait(struct gp_job *job, char *log, size_t loglen, struct err *e)
{
	const char *script = job->script;
	size_t used = 0;
	ssize_t got;
	char sink[512];
	while ((got = read(job->fd, used + 1 < loglen ? log + used : sink,
			   used + 1 < loglen ? loglen - 1 - used : sizeof sink)) > 0 ||
	       (got < 0 && errno == EINTR))
		if (got > 0 && used + 1 < loglen)
			used += (size_t)got;
	log[used] = '\0';
	close(job->fd);
	int status;
	while (waitpid(job->pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_set(e, "%s: waitpid: %s", script, strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	char first[400];
	first_error_line(log, first, sizeof first);
	if (WIFSIGNALED(status))
		return err_set(e, "%s: gnuplot killed by signal %d", script, WTERMSIG(status));
	return err_set(e, "%s: gnuplot failed (exit %d): %s", script, WEXITSTATUS(status),
		       first[0] ? first : "no message");
}
