/* test_gate_dead_waiter.c — a process-shared start gate survives a worker
 * killed while it waits (the processes model's cell hung in
 * pthread_cond_destroy until --timeout), and one killed holding the lock. */
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"
#include "gate.h"

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "test_gate_dead_waiter: the gate hung (deadlock)\n";
	(void)!write(2, msg, sizeof msg - 1);
	_exit(1);
}

int main(void)
{
	signal(SIGALRM, on_alarm);
	alarm(20); /* bounded: a hang is a failure, not a stuck test */
	struct gate *g = mmap(NULL, sizeof *g, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(g != MAP_FAILED, "mmap");
	CHECK_INT(gate_init(g, 1), 0);
	enum { N = 3 };
	pid_t pids[N];
	for (int i = 0; i < N; i++)
		if ((pids[i] = fork()) == 0)
			_exit(gate_arrive(g) == 0 ? 0 : 1);
	/* all have arrived: each is inside pthread_cond_wait (it registered as
	 * a waiter before releasing the mutex we now take) */
	gate_wait_ready(g, N);
	kill(pids[0], SIGKILL);
	int status;
	waitpid(pids[0], &status, 0);
	CHECK(WIFSIGNALED(status), "worker 0 was not killed");
	gate_open(g, 1);
	for (int i = 1; i < N; i++) {
		waitpid(pids[i], &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "worker %d did not pass the gate", i);
	}
	gate_destroy(g); /* hung here */

	/* a worker killed while it holds the gate's lock */
	CHECK_INT(gate_init(g, 1), 0);
	pid_t holder = fork();
	if (holder == 0) {
		pthread_mutex_lock(&g->mutex);
		pause();
	}
	usleep(100000);
	for (int tries = 0; tries < 100; tries++) { /* until it holds the lock */
		if (pthread_mutex_trylock(&g->mutex) != 0)
			break;
		pthread_mutex_unlock(&g->mutex);
		usleep(50000);
	}
	kill(holder, SIGKILL);
	waitpid(holder, &status, 0);
	gate_open(g, 1); /* must take over the dead holder's lock */
	CHECK_INT(gate_arrive(g), 0);
	gate_destroy(g);
	munmap(g, sizeof *g);
	return check_report("gate_dead_waiter");
}
