package dev.recsuite.datasets.synthetic;

import java.util.List;
import java.util.Map;

/**
 * Words of synthetic titles and tags, per genre, so that a title or tag search finds items of the
 * genre it evokes ("haunted" finds horror). Lists are written as comma-separated strings to keep
 * them readable.
 */
final class Vocabulary {

  /** Adjectives, nouns and tags of one genre. */
  record Words(List<String> adjectives, List<String> nouns, List<String> tags) {}

  static final Words GENERIC =
      words(
          "Last, First, Long, Other, New, Second, Seventh, Silver",
          "Harbor, Orchard, Road, House, City, Night, Game, Garden",
          "classic, cult film, visually stunning, slow burn, based on a book, great soundtrack,"
              + " ensemble cast, quotable");

  private static final Map<String, Words> BY_GENRE =
      Map.ofEntries(
          Map.entry(
              "Drama",
              words(
                  "Quiet, Broken, Distant, Fragile, Bitter, Silent, Forgotten, Tender",
                  "River, Letters, Harvest, Silence, Homecoming, Winter, Inheritance, Confession",
                  "family, grief, coming of age, character study, redemption, tearjerker, based on"
                      + " a true story, melancholy")),
          Map.entry(
              "Comedy",
              words(
                  "Crazy, Lucky, Awkward, Clumsy, Wacky, Cheeky, Silly, Merry",
                  "Wedding, Roommates, Vacation, Mix-Up, Neighbors, Party, Pranksters, Weekend",
                  "funny, slapstick, satire, witty, quirky, feel-good, parody, dark comedy")),
          Map.entry(
              "Action",
              words(
                  "Lethal, Rogue, Iron, Maximum, Deadly, Explosive, Relentless, Final",
                  "Strike, Showdown, Vendetta, Fury, Protocol, Extraction, Assault, Payback",
                  "explosions, car chase, martial arts, fight scenes, shootout, one-man army,"
                      + " adrenaline, stunts")),
          Map.entry(
              "Thriller",
              words(
                  "Hidden, Twisted, Fatal, Dark, Sinister, Paranoid, Ticking, Unseen",
                  "Conspiracy, Witness, Stranger, Deception, Trap, Hostage, Pursuit, Obsession",
                  "suspense, plot twist, tense, cat and mouse, paranoia, psychological, conspiracy,"
                      + " edge of seat")),
          Map.entry(
              "Romance",
              words(
                  "Sweet, Endless, Secret, Golden, Eternal, Summer, Moonlit, Passionate",
                  "Kiss, Heart, Love, Serenade, Affair, Valentine, Embrace, Rendezvous",
                  "love story, romantic, chemistry, heartwarming, love triangle, wedding, first"
                      + " love, bittersweet")),
          Map.entry(
              "Adventure",
              words(
                  "Lost, Wild, Untamed, Forbidden, Great, Uncharted, Legendary, Savage",
                  "Expedition, Treasure, Island, Quest, Jungle, Voyage, Kingdom, Temple",
                  "treasure hunt, exploration, journey, swashbuckler, epic, survival, road trip,"
                      + " jungle")),
          Map.entry(
              "Crime",
              words(
                  "Dirty, Crooked, Corrupt, Cold, Brutal, Ruthless, Gritty, Underground",
                  "Heist, Syndicate, Racket, Mob, Detective, Cartel, Getaway, Alibi",
                  "heist, mafia, gangsters, police, organized crime, drug trade, corruption,"
                      + " prison")),
          Map.entry(
              "Sci-Fi",
              words(
                  "Quantum, Stellar, Synthetic, Galactic, Orbital, Cybernetic, Infinite, Neon",
                  "Android, Nebula, Starship, Colony, Singularity, Horizon, Paradox, Frontier",
                  "space, time travel, artificial intelligence, dystopia, aliens, robots,"
                      + " cyberpunk, future")),
          Map.entry(
              "Children",
              words(
                  "Little, Brave, Happy, Tiny, Friendly, Jolly, Curious, Sunny",
                  "Puppy, Treehouse, Teddy, Circus, Playground, Pony, Balloon, Friends",
                  "kids, family friendly, talking animals, friendship, animals, school, cute, life"
                      + " lessons")),
          Map.entry(
              "Horror",
              words(
                  "Haunted, Cursed, Bloody, Wicked, Hollow, Unholy, Rotting, Screaming",
                  "Crypt, Asylum, Scream, Witch, Cellar, Ritual, Sanatorium, Graveyard",
                  "gore, jump scares, supernatural, slasher, haunted house, creepy, zombies,"
                      + " demons")),
          Map.entry(
              "Fantasy",
              words(
                  "Enchanted, Mystic, Elven, Ancient, Mythic, Arcane, Shadowed, Crystal",
                  "Sorcerer, Dragon, Realm, Throne, Prophecy, Amulet, Wizard, Sword",
                  "magic, dragons, mythology, fairy tale, wizards, epic fantasy, quest, medieval")),
          Map.entry(
              "Mystery",
              words(
                  "Strange, Missing, Unsolved, Veiled, Puzzling, Foggy, Whispering, Secretive",
                  "Clue, Riddle, Manor, Disappearance, Inquiry, Cipher, Lighthouse, Locket",
                  "whodunit, investigation, murder mystery, puzzle, detective story, secrets,"
                      + " clues, twist ending")),
          Map.entry(
              "Animation",
              words(
                  "Pixel, Bouncy, Cartoon, Colorful, Toy, Paper, Fluffy, Wonderful",
                  "Robot, Critters, Penguins, Toys, Bunny, Monsters, Dreamland, Planet",
                  "animated, cartoon, computer animation, stop motion, anime, hand-drawn, colorful,"
                      + " for all ages")),
          Map.entry(
              "Documentary",
              words(
                  "True, Real, Untold, Inside, Vanishing, Modern, Natural, Changing",
                  "Story, Earth, Journey, Portrait, Frontline, Chronicle, Revolution, Ocean",
                  "documentary, nature, history, biography, politics, social issues, music,"
                      + " interviews")),
          Map.entry(
              "Musical",
              words(
                  "Singing, Dancing, Jazzy, Rhythmic, Melodic, Broadway, Harmonic, Swinging",
                  "Melody, Chorus, Ballroom, Symphony, Rhythm, Stage, Encore, Tango",
                  "singing, dance, musical numbers, broadway, soundtrack, choreography, jazz,"
                      + " opera")),
          Map.entry(
              "War",
              words(
                  "Fallen, Burning, Steel, Valiant, Frozen, Embattled, Scorched, Besieged",
                  "Battalion, Trenches, Front, Siege, Beachhead, Bunker, Squadron, Armistice",
                  "world war ii, military, battle, soldiers, war drama, resistance, historical,"
                      + " vietnam")),
          Map.entry(
              "Western",
              words(
                  "Dusty, Lonesome, Rugged, Outlaw, Desert, Sunburnt, Ragged, Rusty",
                  "Gunslinger, Saloon, Canyon, Sheriff, Stagecoach, Rustler, Mesa, Bounty",
                  "cowboys, gunfight, wild west, outlaws, frontier, ranch, revenge, spaghetti"
                      + " western")),
          Map.entry(
              "Film-Noir",
              words(
                  "Smoky, Shadowy, Rainy, Midnight, Gloomy, Velvet, Sleepless, Faded",
                  "Dame, Alley, Gumshoe, Nightclub, Streetlight, Double Cross, Snitch, Femme"
                      + " Fatale",
                  "noir, femme fatale, black and white, hardboiled, private eye, moody, voiceover,"
                      + " hard-boiled detective")));

  private Vocabulary() {}

  /** The words of {@code genre}, one of {@link SyntheticSpec#GENRE_NAMES}. */
  static Words of(String genre) {
    Words words = BY_GENRE.get(genre);
    if (words == null) {
      throw new IllegalArgumentException("genre: '" + genre + "' (expected: a synthetic genre)");
    }
    return words;
  }

  private static Words words(String adjectives, String nouns, String tags) {
    return new Words(split(adjectives), split(nouns), split(tags));
  }

  private static List<String> split(String commaSeparated) {
    return List.of(commaSeparated.split(", "));
  }
}
