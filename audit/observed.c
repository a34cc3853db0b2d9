/* observed.c - names of the observed-service types. */
#include "config.h"

#include "audit/observed.h"

const char *
observed_protocol_name(ObservedProtocol p)
{
	switch (p) {
	case OBSERVED_PROTO_IPV4:
		return "ipv4";
	case OBSERVED_PROTO_IPV6:
		return "ipv6";
	case OBSERVED_PROTO_UNSPEC:
		break;
	}
	return NULL;
}
