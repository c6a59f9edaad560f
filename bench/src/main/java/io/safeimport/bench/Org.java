package io.safeimport.bench;

import java.util.List;

/** The small fixed organisation every generated user belongs to (ladders, organizations, chapters, tribes, teams). */
final class Org {
    private Org() {}

    record Ladder(String code, String title, String description, List<String> levelTitles, int payBandBase, List<String> userTitles) {
        int levels() {
            return levelTitles.size();
        }
    }

    record Aspect(String code, String title, String description) {}

    record Unit(String name, String parent, String department, String description) {}

    static final List<Ladder> LADDERS = List.of(
            new Ladder("ENG", "Engineering", "Individual contributors who build and run software",
                    List.of("Junior Engineer", "Engineer", "Senior Engineer", "Staff Engineer", "Senior Staff Engineer", "Principal Engineer"),
                    42_000,
                    List.of("Software Engineer", "Senior Software Engineer", "Engineer, Backend", "Engineer, Frontend",
                            "Site Reliability Engineer", "Staff Engineer", "Principal Engineer (\"Architect\")", "Mobile Engineer, iOS & Android")),
            new Ladder("MGMT", "Engineering management", "People managers, from team lead to VP",
                    List.of("Team Lead", "Engineering Manager", "Senior Engineering Manager", "Director", "VP"),
                    70_000,
                    List.of("Engineering Manager", "Team Lead", "Director, Engineering", "Head of \"Core\" Platform", "VP, Product & Engineering")),
            new Ladder("DES", "Design", "Product, UX and content design",
                    List.of("Junior Designer", "Designer", "Senior Designer", "Lead Designer", "Principal Designer"),
                    38_000,
                    List.of("Product Designer", "Designer, UX & Research", "Content Designer", "Senior Product Designer")),
            new Ladder("DATA", "Data", "Analysts, data scientists and data engineers",
                    List.of("Junior Analyst", "Analyst", "Senior Analyst", "Lead Data Scientist", "Principal Data Scientist"),
                    40_000,
                    List.of("Data Scientist", "Analyst, Business Intelligence", "Data Engineer", "Machine Learning Engineer")),
            new Ladder("OPS", "Operations", "Support, finance and people operations",
                    List.of("Associate", "Specialist", "Senior Specialist", "Lead"),
                    30_000,
                    List.of("Support Specialist", "Customer Care Agent, Tier 2", "Finance Specialist", "People Partner", "Recruiter")));

    static final List<Aspect> ASPECTS = List.of(
            new Aspect("craft", "Craft", "Quality and depth of the work itself"),
            new Aspect("impact", "Impact", "Scope and outcome of the work"),
            new Aspect("collaboration", "Collaboration", "Working with others, communication, feedback"),
            new Aspect("leadership", "Leadership", "Direction, mentoring, \"glue\" work"));

    static final List<Unit> ORGANIZATIONS = List.of(
            new Unit("Acme Product", null, null, "Apps, web, design and product management"),
            new Unit("Acme Platform", null, null, "Infrastructure, data and developer tooling"),
            new Unit("Acme Operations", null, null, "Support, finance, people and sales operations"));

    static final List<Unit> CHAPTERS = List.of(
            new Unit("Backend", "Acme Platform", null, "Server-side engineers"),
            new Unit("Frontend", "Acme Product", null, "Web engineers"),
            new Unit("Mobile", "Acme Product", null, "iOS and Android engineers"),
            new Unit("Data & Analytics", "Acme Platform", null, "Analysts, scientists, data engineers"),
            new Unit("Design, Research & Content", "Acme Product", null, "Everyone who designs, researches or writes"),
            new Unit("Quality", "Acme Product", null, "Test automation and exploratory testing"),
            new Unit("Site Reliability", "Acme Platform", null, "On-call, SLOs, \"keeping the lights on\""),
            new Unit("Support", "Acme Operations", null, "Customer support"),
            new Unit("People & Finance", "Acme Operations", null, "HR, payroll, finance"));

    static final List<Unit> TRIBES = List.of(
            new Unit("Payments", "Acme Product", null, "Money in, money out"),
            new Unit("Growth", "Acme Product", null, "Acquisition, activation, retention"),
            new Unit("Marketplace", "Acme Product", null, "Search, listings, reviews"),
            new Unit("Core Infrastructure", "Acme Platform", null, "Compute, network, storage"),
            new Unit("Data Platform", "Acme Platform", null, "From ingestion to ML"),
            new Unit("Developer Experience", "Acme Platform", null, "Build, CI, internal tools"),
            new Unit("Customer Care", "Acme Operations", null, "Helping customers, in every language"),
            new Unit("Back Office", "Acme Operations", null, "Finance systems, people ops, procurement"));

    static final List<Unit> TEAMS = List.of(
            new Unit("Checkout", "Payments", "Engineering", "Cart and checkout"),
            new Unit("Billing", "Payments", "Engineering", "Invoices, subscriptions"),
            new Unit("Fraud & Risk", "Payments", "Engineering", "Chargebacks, scoring"),
            new Unit("Onboarding", "Growth", "Product", "First-run experience"),
            new Unit("Lifecycle", "Growth", "Product", "E-mail, push, \"win-back\" campaigns"),
            new Unit("Experimentation", "Growth", "Product", "A/B testing platform"),
            new Unit("Search", "Marketplace", "Engineering", "Ranking and relevance"),
            new Unit("Listings", "Marketplace", "Engineering", "Create, edit, moderate"),
            new Unit("Reviews", "Marketplace", "Product", "Ratings and reviews"),
            new Unit("Compute", "Core Infrastructure", "Engineering", "Kubernetes, VMs"),
            new Unit("Networking", "Core Infrastructure", "Engineering", "Edge, DNS, load balancing"),
            new Unit("Storage", "Core Infrastructure", "Engineering", "Databases, object storage"),
            new Unit("Ingestion", "Data Platform", "Engineering", "Pipelines, CDC"),
            new Unit("Warehouse", "Data Platform", "Engineering", "Modelling, BI"),
            new Unit("ML Platform", "Data Platform", "Research & Development", "Features, training, serving"),
            new Unit("Build & CI", "Developer Experience", "Engineering", "Builds, pipelines, caches"),
            new Unit("Internal Tools", "Developer Experience", "Engineering", "Admin consoles"),
            new Unit("Observability", "Developer Experience", "Engineering", "Metrics, logs, traces"),
            new Unit("Tier 1 Support", "Customer Care", "Operations", "First line"),
            new Unit("Tier 2 Support", "Customer Care", "Operations", "Escalations"),
            new Unit("Équipe Montréal", "Customer Care", "Operations", "Support en français"),
            new Unit("Finance Systems", "Back Office", "Operations", "ERP, payroll"),
            new Unit("People Ops", "Back Office", "Operations", "Hiring, onboarding, offboarding"),
            new Unit("Procurement", "Back Office", "Operations", "Vendors, contracts"));
}
