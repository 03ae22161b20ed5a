/* mpi_rank.c — `cmbench mpi-rank`: one MPI rank of an mpi cell (hidden
 * command; mpirun starts it, see mpi_command.c).
 *
 * Every rank builds the workload's whole state from its command line (the
 * corpus included: generated in the node's cache directory from the seed,
 * so every node has the same bytes) outside the measured region, and runs
 * the tasks t with t % size == rank. Per repetition: rank 0 reads "rep" from
 * its standard input (mpirun forwards the cell's) and broadcasts it; a
 * barrier is the start gate; rank 0 times the region between that barrier
 * and the one after the last task; the result slots are gathered to rank 0
 * (MPI_Gatherv), the CPU times summed (MPI_Reduce), and rank 0 writes them
 * as one line for the cell, which verifies them as for every model.
 * Before the gate, each rank runs the workload's worker_setup as worker
 * `rank`. A workload that declares a reduction (bench.reduce) has it done
 * inside the region by MPI: each rank folds its own tasks' slots, then one
 * MPI_Reduce per (type, op) of the declared fields brings the result to
 * rank 0, which sends it beside the slots; the cell checks it against a
 * fold of the slots (contract_check_reduction), then verify() reads it. */
#include "mpi_job.h"

#ifdef CMBENCH_HAVE_MPI
#include <getopt.h>
#include <hwloc.h>
#include <mpi.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>
#include "clock.h"

const char *mpi_build_unavailable(void) { return NULL; }

#define MSG_LEN 256
#define CPUS_LEN 128
#define HOST_LEN 64

struct rank_cli {
	const struct bench *bench;
	int ntasks;
	const char *cache_dir;
	struct params params;
};

static int parse_rank_cli(int argc, char **argv, const struct bench *(*find)(const char *),
			  struct rank_cli *c, struct err *e)
{
	static const struct option opts[] = {
		{"workload", required_argument, 0, 'w'}, {"ntasks", required_argument, 0, 'n'},
		{"cache-dir", required_argument, 0, 'C'}, {"param", required_argument, 0, 'P'},
		{0, 0, 0, 0}};
	char *kv[PARAMS_MAX];
	int nkv = 0, opt;
	memset(c, 0, sizeof *c);
	c->cache_dir = "";
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'w':
			if (!(c->bench = find(optarg)))
				return err_set(e, "mpi-rank: unknown workload '%s'", optarg);
			break;
		case 'n': c->ntasks = atoi(optarg); break;
		case 'C': c->cache_dir = optarg; break;
		case 'P':
			if (nkv == PARAMS_MAX)
				return err_set(e, "mpi-rank: too many --param");
			kv[nkv++] = optarg;
			break;
		default: return err_set(e, "mpi-rank: bad arguments (a hidden command of cmbench run -m mpi)");
		}
	}
	if (!c->bench || c->ntasks < 1)
		return err_set(e, "mpi-rank: needs --workload and --ntasks");
	if (params_defaults(&c->params, c->bench->params, PROFILE_DEFAULT, e) < 0)
		return -1;
	for (int i = 0; i < nkv; i++) {
		char *eq = strchr(kv[i], '=');
		if (!eq)
			return err_set(e, "mpi-rank: --param '%s' is not KEY=VALUE", kv[i]);
		*eq = 0;
		int rc = params_set(&c->params, kv[i], eq + 1, e);
		*eq = '=';
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- messages between tasks: MPI point to point, rank = task % size ---- */

static int mpi_size;

static int rt_mpi_send(struct rt *rt, int to, const void *buf, size_t len)
{
	int rc = MPI_Send(buf, (int)len, MPI_BYTE, to % mpi_size, 0, MPI_COMM_WORLD);
	return rc == MPI_SUCCESS ? 0 : (err_set(rt->err, "mpi: MPI_Send to task %d failed", to), -EIO);
}

static int rt_mpi_recv(struct rt *rt, int from, void *buf, size_t len)
{
	int rc = MPI_Recv(buf, (int)len, MPI_BYTE, from % mpi_size, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	return rc == MPI_SUCCESS ? 0 : (err_set(rt->err, "mpi: MPI_Recv from task %d failed", from), -EIO);
}

/* A rank runs its tasks one after another: a wait on a word that no other
 * task of this rank can change would never end. */
static int rank_wait_word(struct rt *rt, atomic_uint *word, unsigned expected, int64_t timeout_ns)
{
	(void)timeout_ns;
	if (atomic_load(word) != expected)
		return 0;
	err_set(rt->err, "mpi: a task waits on memory only another rank could change");
	return -EDEADLK;
}

static void rank_wake_word(struct rt *rt, atomic_uint *word, int n) { (void)rt; (void)word; (void)n; }

const struct rt_ops mpi_rank_rt_ops = {
	.caps = RT_CAP_SEPARATE_ADDRESS_SPACES | RT_CAP_CONCURRENT | RT_CAP_PARALLEL,
	.wait_word = rank_wait_word,
	.wake_word = rank_wake_word,
	.wait_fd = rt_blocking_wait_fd,
	.sleep = rt_blocking_sleep,
	.native_begin = rt_nothing,
	.native_end = rt_nothing,
	.send = rt_mpi_send,
	.recv = rt_mpi_recv,
};

/* ---- what rank 0 writes for the cell ---- */

static void emit(json_t *line)
{
	char *text = json_dumps(line, JSON_COMPACT);
	printf("%s%s\n", MPI_LINE_TAG, text);
	fflush(stdout);
	free(text);
	json_decref(line);
}

static void where_am_i(char *cpus, char *host)
{
	hwloc_topology_t t;
	snprintf(cpus, CPUS_LEN, "unknown");
	if (hwloc_topology_init(&t) == 0) {
		hwloc_bitmap_t set = hwloc_bitmap_alloc();
		if (hwloc_topology_load(t) == 0 && hwloc_get_cpubind(t, set, HWLOC_CPUBIND_PROCESS) == 0)
			hwloc_bitmap_list_snprintf(cpus, CPUS_LEN, set);
		hwloc_bitmap_free(set);
		hwloc_topology_destroy(t);
	}
	if (gethostname(host, HOST_LEN) < 0)
		snprintf(host, HOST_LEN, "?");
	host[HOST_LEN - 1] = 0;
}

/* The first non-empty message of the ranks, as "rank R: message", or NULL. */
static json_t *first_error(const char *msgs, int size)
{
	for (int r = 0; r < size; r++)
		if (msgs[(size_t)r * MSG_LEN])
			return json_sprintf("rank %d: %.*s", r, MSG_LEN, msgs + (size_t)r * MSG_LEN);
	return NULL;
}

static char *hex(const unsigned char *p, size_t n)
{
	char *s = malloc(2 * n + 1);
	for (size_t i = 0; i < n; i++)
		sprintf(s + 2 * i, "%02x", p[i]);
	s[2 * n] = 0;
	return s;
}

static double tv_ns(struct timeval tv) { return (double)tv.tv_sec * 1e9 + (double)tv.tv_usec * 1e3; }

struct rank {
	int me, size;
	const struct rank_cli *cli;
	void *state;
	char *msgs;            /* rank 0: MSG_LEN per rank */
	int *counts, *displs;  /* rank 0: bytes of slots per rank, and where */
	unsigned char *mine, *all;
	unsigned char *reduced; /* the reduction (result_size bytes) */
	char cpus[CPUS_LEN], host[HOST_LEN];
	struct shared_arena *shared;
};

static MPI_Datatype reduce_datatype(enum reduce_type t, enum reduce_op op)
{
	/* A signed sum wraps as reduce_fold's does: two's complement addition
	 * is unsigned addition, and MPI's signed sum may not wrap. */
	if (t == REDUCE_I64)
		return op == REDUCE_SUM ? MPI_UINT64_T : MPI_INT64_T;
	return t == REDUCE_DOUBLE ? MPI_DOUBLE : MPI_UINT64_T;
}

static MPI_Op reduce_op(enum reduce_op op) { return op == REDUCE_SUM ? MPI_SUM : op == REDUCE_MIN ? MPI_MIN : MPI_MAX; }

/* The workload's reduction across the ranks: fold this rank's tasks' slots
 * into `acc` (result_size bytes), then combine the declared fields with
 * MPI_Reduce to rank 0, one call per (type, op) that occurs: every field
 * is 8 bytes. On rank 0, `acc` ends up holding the reduction. */
static void reduce_ranks(const struct rank *k, unsigned char *acc)
{
	const struct bench *b = k->cli->bench;
	const struct reduce_field *f = b->reduce;
	reduce_identity(f, acc);
	for (int t = k->me; t < k->cli->ntasks; t += k->size)
		reduce_fold(f, acc, b->result(k->state, t));
	int nf = 0;
	while (f[nf].op)
		nf++;
	uint64_t in[nf ? nf : 1], out[nf ? nf : 1];
	for (int op = REDUCE_SUM; op <= REDUCE_MAX; op++)
		for (int type = REDUCE_U64; type <= REDUCE_DOUBLE; type++) {
			int n = 0;
			for (int i = 0; i < nf; i++)
				if ((int)f[i].op == op && (int)f[i].type == type)
					memcpy(&in[n++], acc + f[i].offset, 8);
			if (!n)
				continue;
			MPI_Reduce(in, out, n, reduce_datatype(type, op), reduce_op(op), 0, MPI_COMM_WORLD);
			if (k->me != 0)
				continue;
			n = 0;
			for (int i = 0; i < nf; i++)
				if ((int)f[i].op == op && (int)f[i].type == type)
					memcpy(acc + f[i].offset, &out[n++], 8);
		}
}

/* For tests only (tests/test_mpi.sh): rank 0 spoils the reduction it sends,
 * which the cell must reject as a wrong answer. */
static void spoil_reduction(const struct reduce_field *f, unsigned char *acc)
{
	if (f->type == REDUCE_DOUBLE) {
		double v;
		memcpy(&v, acc + f->offset, 8);
		v = v * 2 + 1;
		memcpy(acc + f->offset, &v, 8);
	} else {
		uint64_t v;
		memcpy(&v, acc + f->offset, 8);
		v++;
		memcpy(acc + f->offset, &v, 8);
	}
}

/* One repetition: set-up, gate, region (tasks, reduction), gather. Rank 0
 * reports it. */
static void repetition(struct rank *k, int rep)
{
	const struct bench *b = k->cli->bench;
	size_t rs = b->result_size;
	char msg[MSG_LEN] = "";
	struct err err = {{0}};
	struct rt rt = {.ops = &mpi_rank_rt_ops, .worker = k->me, .err = &err};
	struct model_run mr = {.bench = b, .state = k->state, .workers = k->size, .ntasks = k->cli->ntasks};
	b->reset(k->state);
	if (model_worker_setup(&mr, &rt) < 0)
		snprintf(msg, sizeof msg, "%.*s", MSG_LEN - 1, err.msg);
	struct rusage ru0, ru1;
	getrusage(RUSAGE_SELF, &ru0);
	MPI_Barrier(MPI_COMM_WORLD); /* the start gate */
	int64_t t0 = clock_now_ns();
	for (int t = k->me; t < k->cli->ntasks && !msg[0]; t += k->size)
		if (model_run_task(&mr, t, &rt) < 0)
			snprintf(msg, sizeof msg, "%.*s", MSG_LEN - 1, err.msg);
	if (b->reduce)
		reduce_ranks(k, k->reduced); /* every rank takes part, even one that failed */
	MPI_Barrier(MPI_COMM_WORLD); /* the last task is done */
	int64_t t1 = clock_now_ns();
	getrusage(RUSAGE_SELF, &ru1);
	double mine[5] = {tv_ns(ru1.ru_utime) - tv_ns(ru0.ru_utime), tv_ns(ru1.ru_stime) - tv_ns(ru0.ru_stime),
			  (double)(ru1.ru_nvcsw - ru0.ru_nvcsw), (double)(ru1.ru_nivcsw - ru0.ru_nivcsw),
			  (double)ru1.ru_maxrss}, sum[5];
	MPI_Reduce(mine, sum, 5, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
	size_t n = 0;
	for (int t = k->me; t < k->cli->ntasks; t += k->size, n += rs)
		memcpy(k->mine + n, b->result(k->state, t), rs);
	MPI_Gatherv(k->mine, (int)n, MPI_BYTE, k->all, k->counts, k->displs, MPI_BYTE, 0, MPI_COMM_WORLD);
	MPI_Gather(msg, MSG_LEN, MPI_CHAR, k->msgs, MSG_LEN, MPI_CHAR, 0, MPI_COMM_WORLD);
	if (k->me != 0)
		return;
	json_t *line = json_pack("{s:i, s:I, s:f, s:f, s:f, s:f, s:f}", "rep", rep, "real_ns",
				 (json_int_t)(t1 - t0), "user_ns", sum[0], "sys_ns", sum[1], "vol_cs",
				 sum[2], "invol_cs", sum[3], "max_rss_kb", sum[4]);
	json_t *error = first_error(k->msgs, k->size);
	if (error) {
		json_object_set_new(line, "error", error);
	} else {
		/* rank-major order back to task order */
		size_t total = (size_t)k->cli->ntasks * rs;
		unsigned char *ordered = malloc(total ? total : 1);
		for (int r = 0; r < k->size; r++) {
			size_t off = (size_t)k->displs[r];
			for (int t = r; t < k->cli->ntasks; t += k->size, off += rs)
				memcpy(ordered + (size_t)t * rs, k->all + off, rs);
		}
		char *h = hex(ordered, total);
		json_object_set_new(line, "slots", json_string(h));
		free(h);
		free(ordered);
		if (b->reduce) {
			if (getenv("CMBENCH_MPI_TEST_SPOIL_REDUCTION"))
				spoil_reduction(b->reduce, k->reduced);
			h = hex(k->reduced, rs);
			json_object_set_new(line, "reduced", json_string(h));
			free(h);
		}
	}
	emit(line);
}

/* Where every rank runs (its binding read back with hwloc) and its host. */
static json_t *ranks_json(struct rank *k)
{
	char *cpus = k->me == 0 ? malloc((size_t)k->size * CPUS_LEN) : NULL;
	char *hosts = k->me == 0 ? malloc((size_t)k->size * HOST_LEN) : NULL;
	MPI_Gather(k->cpus, CPUS_LEN, MPI_CHAR, cpus, CPUS_LEN, MPI_CHAR, 0, MPI_COMM_WORLD);
	MPI_Gather(k->host, HOST_LEN, MPI_CHAR, hosts, HOST_LEN, MPI_CHAR, 0, MPI_COMM_WORLD);
	json_t *list = NULL;
	if (k->me == 0) {
		list = json_array();
		for (int r = 0; r < k->size; r++)
			json_array_append_new(list, json_pack("{s:i, s:s, s:s}", "rank", r, "host",
							      hosts + (size_t)r * HOST_LEN, "cpus",
							      cpus + (size_t)r * CPUS_LEN));
	}
	free(cpus);
	free(hosts);
	return list;
}

static int serve(struct rank *k)
{
	int rep = 0;
	for (;;) {
		int go = 0;
		if (k->me == 0) {
			char line[64];
			go = fgets(line, sizeof line, stdin) && !strncmp(line, "rep", 3);
		}
		MPI_Bcast(&go, 1, MPI_INT, 0, MPI_COMM_WORLD);
		if (!go)
			return 0;
		repetition(k, rep++);
	}
}

int mpi_rank_main(int argc, char **argv, const struct bench *(*find)(const char *name))
{
	/* mpirun puts every rank in its own process group: should mpirun be
	 * killed (the cell's --timeout kills the cell's group), die with it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	struct rank_cli cli;
	struct err e = {{0}};
	int bad_cli = parse_rank_cli(argc, argv, find, &cli, &e) < 0;
	struct rank k = {.cli = &cli};
	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &k.me);
	MPI_Comm_size(MPI_COMM_WORLD, &k.size);
	mpi_size = k.size;
	if (k.me != 0 && !freopen("/dev/null", "w", stdout))
		return 1;
	char msg[MSG_LEN] = "";
	int64_t s0 = clock_now_ns();
	if (bad_cli) {
		snprintf(msg, sizeof msg, "%.*s", MSG_LEN - 1, e.msg);
	} else {
		/* "shared" memory is the rank's own: the model lacks RT_CAP_SHARED_MEMORY */
		k.shared = shared_arena_create(&e);
		struct bench_setup bs = {.params = &cli.params, .ntasks = cli.ntasks, .workers = k.size,
					 .cache_dir = cli.cache_dir, .caps = mpi_rank_rt_ops.caps,
					 .shared = k.shared};
		if (!k.shared || !(k.state = cli.bench->setup(&bs, &e)))
			snprintf(msg, sizeof msg, "set-up failed: %.*s", MSG_LEN - 16, e.msg);
	}
	double setup_ns = (double)(clock_now_ns() - s0), setup_max = 0;
	MPI_Reduce(&setup_ns, &setup_max, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
	where_am_i(k.cpus, k.host);
	k.msgs = k.me == 0 ? calloc((size_t)k.size, MSG_LEN) : NULL;
	MPI_Gather(msg, MSG_LEN, MPI_CHAR, k.msgs, MSG_LEN, MPI_CHAR, 0, MPI_COMM_WORLD);
	json_t *ranks = ranks_json(&k);
	int failed = 0;
	if (k.me == 0) {
		json_t *error = first_error(k.msgs, k.size);
		failed = error != NULL;
		json_t *ready = json_pack("{s:b, s:f, s:i, s:o}", "ready", 1, "setup_ns", setup_max,
					  "ranks", k.size, "where", ranks);
		if (error)
			json_object_set_new(ready, "error", error);
		emit(ready);
	}
	MPI_Bcast(&failed, 1, MPI_INT, 0, MPI_COMM_WORLD);
	int status = 0;
	if (!failed) {
		size_t rs = cli.bench->result_size;
		int mine = cli.ntasks / k.size + (k.me < cli.ntasks % k.size);
		k.mine = malloc((size_t)mine * rs + 1);
		k.reduced = calloc(1, rs + 1);
		if (k.me == 0) {
			k.counts = calloc((size_t)k.size, sizeof *k.counts);
			k.displs = calloc((size_t)k.size, sizeof *k.displs);
			for (int r = 0, off = 0; r < k.size; r++) {
				k.counts[r] = (cli.ntasks / k.size + (r < cli.ntasks % k.size)) * (int)rs;
				k.displs[r] = off;
				off += k.counts[r];
			}
			k.all = malloc((size_t)cli.ntasks * rs + 1);
		}
		status = serve(&k);
		cli.bench->teardown(k.state);
	} else if (k.state) {
		cli.bench->teardown(k.state);
	}
	free(k.mine);
	free(k.reduced);
	free(k.all);
	free(k.counts);
	free(k.displs);
	free(k.msgs);
	if (k.shared)
		shared_arena_destroy(k.shared);
	MPI_Finalize();
	return status;
}

#else /* built without MPI */

const struct rt_ops mpi_rank_rt_ops = {
	.caps = RT_CAP_SEPARATE_ADDRESS_SPACES | RT_CAP_CONCURRENT | RT_CAP_PARALLEL,
	.wait_fd = rt_blocking_wait_fd,
	.sleep = rt_blocking_sleep,
	.native_begin = rt_nothing,
	.native_end = rt_nothing,
};

const char *mpi_build_unavailable(void) { return "built without MPI (cmake -DCMBENCH_MPI=OFF, or pkg-config found no ompi-c)"; }

int mpi_rank_main(int argc, char **argv, const struct bench *(*find)(const char *name))
{
	(void)argc;
	(void)argv;
	(void)find;
	fprintf(stderr, "cmbench mpi-rank: %s\n", mpi_build_unavailable());
	return 2;
}

#endif
