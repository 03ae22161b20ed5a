/* gil_policies.c — the GIL policies `--param gil=` chooses from, in the order
 * of GIL_POLICY_CHOICES. A new policy is one file and one line here. */
#include "gil.h"

const struct gil_policy *const gil_policy_table[] = {
	&gil_policy_legacy,      /* CPython <= 3.1 */
	&gil_policy_modern,      /* CPython 3.2 - 3.12, 3.13+ default build */
	&gil_policy_io_priority, /* bpo-7946 proposals */
	&gil_policy_bfs,         /* Nir Aides' BFS patch for bpo-7946 */
	&gil_policy_free_threaded, /* PEP 703 */
};
const int gil_policy_count = (int)(sizeof gil_policy_table / sizeof gil_policy_table[0]);
