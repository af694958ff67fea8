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
extern const struct cmd_entry cmd_dm_entry;
extern const struct cmd_entry cmd_messages_entry;
extern const struct cmd_entry cmd_post_entry;
extern const struct cmd_entry cmd_show_entry;
extern const struct cmd_entry cmd_edit_entry;
extern const struct cmd_entry cmd_delete_entry;
extern const struct cmd_entry cmd_feed_entry;
extern const struct cmd_entry cmd_like_entry;
extern const struct cmd_entry cmd_unlike_entry;
extern const struct cmd_entry cmd_react_entry;
extern const struct cmd_entry cmd_comment_entry;
extern const struct cmd_entry cmd_comments_entry;
extern const struct cmd_entry cmd_share_entry;
extern const struct cmd_entry cmd_settings_entry;
extern const struct cmd_entry cmd_upload_entry;
extern const struct cmd_entry cmd_media_entry;

#endif
