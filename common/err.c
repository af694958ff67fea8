#include "err.h"

const char *
err_str(int e)
{
	switch (e) {
	case 0:			return "ok";
	case ERR_INVALID:	return "invalid input";
	case ERR_NOTFOUND:	return "not found";
	case ERR_EXISTS:	return "already exists";
	case ERR_DENIED:	return "not allowed";
	case ERR_BUSY:		return "busy, try again later";
	case ERR_RATE:		return "too many changes in a short time: wait a minute and try again";
	case ERR_DB:		return "storage error";
	case ERR_SYSTEM:	return "system error";
	default:		return "internal error";
	}
}

int
err_exit_status(int e)
{
	switch (e) {
	case 0:			return 0;
	case ERR_NOTFOUND:	return 2;
	case ERR_DENIED:	return 3;
	default:		return 1;
	}
}
