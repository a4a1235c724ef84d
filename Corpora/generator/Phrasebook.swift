// Phrasebook: hand-written everyday phrases (greetings, thanks, apologies, wishes, classroom and
// travel phrases) that no template produces, plus the anchor pairs the project's demo relies on.
// Each line is "English | English variant ... => French | French variant"; every English variant
// pairs with every French variant. French follows the corpus typography (space before ? and !).

enum Phrasebook {
    static let anchors: [Pair] = [
        Pair(en: "I speak French.", fr: "Je parle français."),
        Pair(en: "She does not eat apples.", fr: "Elle ne mange pas de pommes."),
        Pair(en: "She doesn't eat apples.", fr: "Elle ne mange pas de pommes."),
        Pair(en: "I do not speak French.", fr: "Je ne parle pas français."),
        Pair(en: "I don't speak French.", fr: "Je ne parle pas français."),
        Pair(en: "He does not eat apples.", fr: "Il ne mange pas de pommes."),
        Pair(en: "He doesn't eat apples.", fr: "Il ne mange pas de pommes."),
        Pair(en: "She eats apples.", fr: "Elle mange des pommes."),
        Pair(en: "Do you speak French?", fr: "Parlez-vous français ?"),
        Pair(en: "Do you speak French?", fr: "Parles-tu français ?"),
        Pair(en: "Do you speak French?", fr: "Est-ce que tu parles français ?"),
        Pair(en: "She speaks French.", fr: "Elle parle français."),
        Pair(en: "We speak French.", fr: "Nous parlons français."),
        Pair(en: "I speak English.", fr: "Je parle anglais."),
    ]

    static let lines: [String] = [
        "Hello! | Good morning! => Bonjour !",
        "Hi! => Salut !",
        "Good evening! => Bonsoir !",
        "Good night! => Bonne nuit !",
        "Goodbye! => Au revoir !",
        "See you tomorrow! => À demain !",
        "See you soon! => À bientôt !",
        "See you later! => À plus tard !",
        "See you tonight! => À ce soir !",
        "How are you? => Comment vas-tu ? | Comment allez-vous ?",
        "How is it going? | How's it going? => Comment ça va ?",
        "I am fine, thank you. | I'm fine, thank you. | I'm fine, thanks. => Je vais bien, merci.",
        "I am very well, thank you. | I'm very well, thank you. => Je vais très bien, merci.",
        "And you? => Et toi ? | Et vous ?",
        "Not bad. => Pas mal.",
        "Thank you. | Thanks. => Merci.",
        "Thank you very much. | Thanks a lot. => Merci beaucoup.",
        "You are welcome. | You're welcome. => De rien.",
        "Please. => S'il te plaît. | S'il vous plaît.",
        "Excuse me. => Excuse-moi. | Excusez-moi.",
        "I am sorry. | I'm sorry. => Je suis désolé.",
        "Sorry! => Pardon !",
        "Yes. => Oui.",
        "No. => Non.",
        "Yes, please. => Oui, s'il te plaît. | Oui, s'il vous plaît.",
        "No, thank you. | No, thanks. => Non, merci.",
        "What is your name? | What's your name? => Comment t'appelles-tu ? | Comment vous appelez-vous ?",
        "Nice to meet you. => Enchanté.",
        "Where are you from? => D'où viens-tu ? | D'où venez-vous ?",
        "I do not understand. | I don't understand. => Je ne comprends pas.",
        "I understand. => Je comprends.",
        "I do not know. | I don't know. => Je ne sais pas.",
        "I know. => Je sais.",
        "Can you repeat, please? => Peux-tu répéter, s'il te plaît ? | Pouvez-vous répéter, s'il vous plaît ?",
        "Speak more slowly, please. => Parle plus lentement, s'il te plaît. | Parlez plus lentement, s'il vous plaît.",
        "I speak a little French. => Je parle un peu français.",
        "What does this mean? => Qu'est-ce que ça veut dire ?",
        "What time is it? => Quelle heure est-il ?",
        "What day is it today? => Quel jour sommes-nous aujourd'hui ?",
        "What is the weather like? | What's the weather like? => Quel temps fait-il ?",
        "Where is the bathroom? | Where's the bathroom? => Où sont les toilettes ?",
        "How much is it? | How much does it cost? => Combien ça coûte ?",
        "The check, please. | The bill, please. => L'addition, s'il vous plaît.",
        "Help! => Au secours !",
        "Happy birthday! => Joyeux anniversaire !",
        "Merry Christmas! => Joyeux Noël !",
        "Happy New Year! => Bonne année !",
        "Have a nice day! => Bonne journée !",
        "Have a good evening! => Bonne soirée !",
        "Have a good trip! => Bon voyage !",
        "Enjoy your meal! => Bon appétit !",
        "Good luck! => Bonne chance !",
        "Congratulations! => Félicitations !",
        "Welcome! => Bienvenue !",
        "Cheers! => Santé !",
        "Of course. => Bien sûr.",
        "I agree. => Je suis d'accord.",
        "I do not agree. | I don't agree. => Je ne suis pas d'accord.",
        "OK. => D'accord.",
        "Maybe. => Peut-être.",
        "Let's go! => Allons-y !",
        "Wait a minute. => Attends une minute. | Attendez une minute.",
        "Come in! => Entre ! | Entrez !",
        "Sit down, please. => Assieds-toi, s'il te plaît. | Asseyez-vous, s'il vous plaît.",
        "Be careful! => Fais attention ! | Faites attention !",
        "Hurry up! => Dépêche-toi ! | Dépêchez-vous !",
        "I love you. => Je t'aime.",
        "I miss you. => Tu me manques. | Vous me manquez.",
        "I am lost. | I'm lost. => Je suis perdu.",
        "I need help. => J'ai besoin d'aide.",
        "Can you help me? => Peux-tu m'aider ? | Pouvez-vous m'aider ? | Est-ce que tu peux m'aider ?",
        "It does not matter. | It doesn't matter. => Ce n'est pas grave.",
        "No problem. => Pas de problème.",
        "It is delicious. | It's delicious. => C'est délicieux.",
        "It is too expensive. | It's too expensive. => C'est trop cher.",
        "It is late. | It's late. => Il est tard.",
        "It is early. | It's early. => Il est tôt.",
        "Me too. => Moi aussi.",
        "Me neither. => Moi non plus.",
        "Really? => Vraiment ?",
        "That is true. | That's true. | It's true. => C'est vrai.",
        "That is not true. | That's not true. | It isn't true. => Ce n'est pas vrai.",
        "Good idea! => Bonne idée !",
        "I am coming! | I'm coming! => J'arrive !",
        "I will be right back. | I'll be right back. => Je reviens tout de suite.",
        "Call me. => Appelle-moi. | Appelez-moi.",
        "Write to me. => Écris-moi. | Écrivez-moi.",
        "Tell me. => Dis-moi. | Dites-moi.",
        "Listen! => Écoute ! | Écoutez !",
        "Look! => Regarde ! | Regardez !",
        "Stop! => Arrête ! | Arrêtez !",
        "I am late. | I'm late. => Je suis en retard.",
        "You are late. | You're late. => Tu es en retard. | Vous êtes en retard.",
        "We are late. | We're late. => Nous sommes en retard.",
        "The train is late. => Le train est en retard.",
        "Sleep well! => Dors bien ! | Dormez bien !",
        "Where do you live? => Où habites-tu ? | Où habitez-vous ? | Où est-ce que tu habites ?",
        "I like it. => Ça me plaît.",
        "I do not like it. | I don't like it. => Ça ne me plaît pas.",
        "Are you OK? => Ça va ?",
        "I am OK. | I'm OK. => Ça va.",
        "Here you are. => Voilà.",
        "Here is my ticket. | Here's my ticket. => Voici mon billet.",
        "Here is the key. | Here's the key. => Voici la clé.",
        "Is this seat free? => Est-ce que cette place est libre ?",
        "Can I come in? => Est-ce que je peux entrer ?",
        "What is this? | What's this? => Qu'est-ce que c'est ?",
        "Who is it? => Qui est-ce ?",
        "Who are you? => Qui es-tu ? | Qui êtes-vous ?",
        "How do you say that in French? => Comment dit-on ça en français ?",
        "I am learning French. | I'm learning French. => J'apprends le français.",
        "French is easy. => Le français est facile.",
        "French is difficult. => Le français est difficile.",
        "English is easy. => L'anglais est facile.",
        "My French is not very good. | My French isn't very good. => Mon français n'est pas très bon.",
    ]

    static let thanksFor: [(String, String)] = [
        ("the gift", "le cadeau"), ("the coffee", "le café"), ("the meal", "le repas"), ("your help", "ton aide|votre aide"),
        ("the flowers", "les fleurs"), ("the book", "le livre"), ("everything", "tout"), ("the invitation", "la invitation"),
    ]

    /// Parses the lines above, and adds greetings with names and days.
    static func pairs() -> [Pair] {
        var out: [Pair] = []
        for line in lines {
            let sides = line.components(separatedBy: " => ")
            precondition(sides.count == 2, "phrasebook line needs one ' => ': \(line)")
            let ens = sides[0].components(separatedBy: " | ")
            let frs = sides[1].components(separatedBy: " | ")
            for e in ens { for f in frs { out.append(Pair(en: e, fr: f)) } }
        }
        for (name, _) in Generator.names {
            out.append(Pair(en: "Hello, \(name)!", fr: "Bonjour, \(name) !"))
            out.append(Pair(en: "Thank you, \(name).", fr: "Merci, \(name)."))
            out.append(Pair(en: "Thank you very much, \(name).", fr: "Merci beaucoup, \(name)."))
            out.append(Pair(en: "Thanks a lot, \(name).", fr: "Merci beaucoup, \(name)."))
            out.append(Pair(en: "Good morning, \(name)!", fr: "Bonjour, \(name) !"))
            out.append(Pair(en: "How are you, \(name)?", fr: "Comment vas-tu, \(name) ?"))
            out.append(Pair(en: "See you tomorrow, \(name)!", fr: "À demain, \(name) !"))
            out.append(Pair(en: "Goodbye, \(name)!", fr: "Au revoir, \(name) !"))
            out.append(Pair(en: "Good night, \(name)!", fr: "Bonne nuit, \(name) !"))
            out.append(Pair(en: "My name is \(name).", fr: "Je m'appelle \(name)."))
            out.append(Pair(en: "I am \(name).", fr: "Je suis \(name)."))
            out.append(Pair(en: "I'm \(name).", fr: "Je suis \(name)."))
            out.append(Pair(en: "This is \(name).", fr: "C'est \(name)."))
        }
        for (name, g) in Generator.names {
            let p = g == .masculine ? ("His", "Il") : ("Her", "Elle")
            out.append(Pair(en: "\(p.0) name is \(name).", fr: "\(p.1) s'appelle \(name)."))
        }
        for (en, fr) in Times.days {
            out.append(Pair(en: "See you on \(en)!", fr: "À \(fr) !"))
        }
        for (en, frs) in thanksFor {
            for fr in frs.split(separator: "|") {
                let frWords = French.sentence(["merci", "pour"] + fr.split(separator: " ").map(String.init), .period)
                out.append(Pair(en: "Thank you for \(en).", fr: frWords))
                out.append(Pair(en: "Thanks for \(en).", fr: frWords))
            }
        }
        return out + anchors
    }
}
