/* Every command entry, one per exec command; cli/commands.c lists them in order. */
#ifndef SSHBOOK_CLI_COMMANDS_H
#define SSHBOOK_CLI_COMMANDS_H

#include "cli/cli.h"

extern const struct cmd_entry cmd_whoami_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_keys_entry;

#endif
