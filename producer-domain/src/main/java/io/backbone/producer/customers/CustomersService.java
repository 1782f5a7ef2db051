package io.backbone.producer.customers;

import io.backbone.customers.v1.Address;
import io.backbone.customers.v1.CustomerEvent;
import io.backbone.customers.v1.CustomerEventType;
import io.backbone.producer.faults.Fault;
import io.backbone.producer.faults.Spoiled;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** The customers domain: people register and update their profiles. Every event carries personal data. */
public final class CustomersService {
    public static final String DOMAIN = "customers";
    public static final String TOPIC = "customers.raw.customer-events";
    public static final String SOURCE = "/shop/customers-service";
    public static final List<Fault> CONTRACT_FAULTS = List.of(Fault.MALFORMED_EMAIL, Fault.MISSING_REQUIRED);

    private static final String[] FIRST = {
        "Anna", "Ben", "Chloé", "Dmitri", "Emma", "Farid", "Greta", "Hiro", "Ines", "Jonas"
    };
    private static final String[] LAST = {
        "Schmidt", "Okafor", "Dubois", "Nowak", "García", "Lindqvist", "Rossi", "Tanaka"
    };
    private static final String[][] CITIES = {
        {"Berlin", "DE", "10115"},
        {"Paris", "FR", "75001"},
        {"Warszawa", "PL", "00-001"},
        {"Madrid", "ES", "28001"},
        {"Stockholm", "SE", "111 20"},
        {"London", "GB", "EC1A 1BB"},
        {"Zürich", "CH", "8001"}
    };
    private static final String[] STREETS = {
        "Hauptstraße", "Rue de Rivoli", "ul. Marszałkowska", "Calle Mayor", "Drottninggatan", "Baker Street"
    };

    private CustomersService() {}

    public static CustomerEvent register(String customerId, Random rnd, Instant now) {
        String first = FIRST[rnd.nextInt(FIRST.length)];
        String last = LAST[rnd.nextInt(LAST.length)];
        String[] city = CITIES[rnd.nextInt(CITIES.length)];
        return CustomerEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType(CustomerEventType.CUSTOMER_REGISTERED)
                .setOccurredAt(now)
                .setCustomerId(customerId)
                .setEmail(ascii(first).toLowerCase() + "." + ascii(last).toLowerCase() + "." + customerId.substring(4)
                        + "@example.com")
                .setFullName(first + " " + last)
                .setPhone(rnd.nextBoolean() ? "+49" + (100_000_000 + rnd.nextInt(899_999_999)) : null)
                .setAddress(new Address(
                        STREETS[rnd.nextInt(STREETS.length)] + " " + (1 + rnd.nextInt(200)), city[0], city[2], city[1]))
                .setMarketingOptIn(rnd.nextBoolean())
                .build();
    }

    /** A profile update: a new address or phone number. */
    public static CustomerEvent update(CustomerEvent current, Random rnd, Instant now) {
        String[] city = CITIES[rnd.nextInt(CITIES.length)];
        return CustomerEvent.newBuilder(current)
                .setEventId(UUID.randomUUID().toString())
                .setEventType(CustomerEventType.CUSTOMER_UPDATED)
                .setOccurredAt(now)
                .setAddress(new Address(
                        STREETS[rnd.nextInt(STREETS.length)] + " " + (1 + rnd.nextInt(200)), city[0], city[2], city[1]))
                .build();
    }

    /**
     * The event as a careless client writes it, every value still meaning the same: the e-mail in other case and with
     * spaces, the name with repeated spaces and decomposed accents, the country code lower-case with spaces, or the
     * phone number in German national form. The customers contracts correct all of them.
     */
    public static CustomerEvent soil(CustomerEvent event, Random rnd) {
        CustomerEvent.Builder b = CustomerEvent.newBuilder(event);
        Address a = event.getAddress();
        int how = rnd.nextInt(event.getPhone() == null ? 4 : 5);
        switch (how) {
            case 0 -> b.setEmail(" " + capitalise(event.getEmail()) + " ");
            case 1 -> b.setEmail(event.getEmail().toUpperCase(java.util.Locale.ROOT));
            case 2 ->
                b.setFullName(" "
                        + java.text.Normalizer.normalize(event.getFullName(), java.text.Normalizer.Form.NFD)
                                .replace(" ", "   "));
            case 3 ->
                b.setAddress(new Address(
                        a.getStreet(),
                        a.getCity(),
                        a.getPostalCode(),
                        " " + a.getCountry().toLowerCase(java.util.Locale.ROOT) + " "));
            default -> b.setPhone("030 " + (2_000_000 + rnd.nextInt(7_999_999)));
        }
        return b.build();
    }

    private static String capitalise(String email) {
        StringBuilder out = new StringBuilder(email.length());
        boolean start = true;
        for (char c : email.toCharArray()) {
            out.append(start ? Character.toUpperCase(c) : c);
            start = c == '.' || c == '@';
        }
        return out.toString();
    }

    public static Spoiled<CustomerEvent> spoil(CustomerEvent event, Fault fault) {
        CustomerEvent.Builder b = CustomerEvent.newBuilder(event);
        return switch (fault) {
            case MALFORMED_EMAIL ->
                new Spoiled<>(b.setEmail(event.getEmail().replace("@", " at ")).build(), fault, "email.format");
            case MISSING_REQUIRED -> new Spoiled<>(b.setEmail(null).build(), fault, "email.nullValues");
            default -> throw new IllegalArgumentException("customers cannot spoil an event with " + fault);
        };
    }

    private static String ascii(String s) {
        return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("[^A-Za-z]", "");
    }
}
