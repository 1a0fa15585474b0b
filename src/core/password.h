/* password.h - the rules a customer user's chosen password must meet. */
#ifndef TG_PASSWORD_H
#define TG_PASSWORD_H

#define TG__PASSWORD_MIN 8   /* characters (code points) */
#define TG__PASSWORD_MAX 256
#define TG__PASSWORD_CLASSES 3 /* of 4: lower case, upper case, digits, symbols */

/* TG_OK, or TG_EINVAL with a message naming the rule the password breaks. The
 * message never contains the password. `what` names it ("the new password"). */
int tg__password_rules(const char *password, const char *what);

#endif
