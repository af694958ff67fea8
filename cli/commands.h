/* Every command entry, one per exec command; cli/commands.c lists them in order. */
#ifndef SSHBOOK_CLI_COMMANDS_H
#define SSHBOOK_CLI_COMMANDS_H

#include "cli/cli.h"

extern const struct cmd_entry cmd_whoami_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_keys_entry;
extern const struct cmd_entry cmd_profile_entry;
extern const struct cmd_entry cmd_friends_entry;
extern const struct cmd_entry cmd_requests_entry;
extern const struct cmd_entry cmd_friend_entry;
extern const struct cmd_entry cmd_block_entry;
extern const struct cmd_entry cmd_unblock_entry;
extern const struct cmd_entry cmd_search_entry;
extern const struct cmd_entry cmd_notifications_entry;

#endif
