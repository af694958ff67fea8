/* The command table: one line per command; help is generated from it. */
#include "cli/cli.h"
#include "cli/commands.h"

const struct cmd_entry *const cli_commands[] = {
	&cmd_whoami_entry,
	&cmd_help_entry,
	&cmd_profile_entry,
	&cmd_friends_entry,
	&cmd_requests_entry,
	&cmd_friend_entry,
	&cmd_block_entry,
	&cmd_unblock_entry,
	&cmd_notifications_entry,
	&cmd_search_entry,
	&cmd_keys_entry,
	NULL
};
