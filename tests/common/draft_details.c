/* draft_details.c - see draft_details.h. */
#include "draft_details.h"

#include <stdio.h>

int draft_fill_valid(tg_draft *d, const char *prefix, tg_field left_out)
{
    static const struct {
        tg_field field;
        const char *value;
    } details[] = {
        {TG_FIELD_EMAIL, "billing@customer.example"}, {TG_FIELD_CULTURE, "en-US"},
        {TG_FIELD_LANGUAGE, "en"}, {TG_FIELD_ADDRESS_LINE1, "1 Main Street"},
        {TG_FIELD_CITY, "Redmond"}, {TG_FIELD_STATE, "WA"}, {TG_FIELD_POSTAL_CODE, "98052"},
        {TG_FIELD_COUNTRY, "US"}, {TG_FIELD_FIRST_NAME, "Gena"}, {TG_FIELD_LAST_NAME, "Soto"},
    };
    char company[96];
    snprintf(company, sizeof(company), "Company %s", prefix);
    int rc = TG_OK;
    if (left_out != TG_FIELD_COMPANY_NAME) rc = tg_draft_set(d, TG_FIELD_COMPANY_NAME, company);
    if (rc == TG_OK && left_out != TG_FIELD_DOMAIN_PREFIX) rc = tg_draft_set(d, TG_FIELD_DOMAIN_PREFIX, prefix);
    for (size_t i = 0; rc == TG_OK && i < sizeof(details) / sizeof(details[0]); i++)
        if (details[i].field != left_out) rc = tg_draft_set(d, details[i].field, details[i].value);
    return rc;
}
